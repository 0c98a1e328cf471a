import { writeFile } from 'node:fs/promises';
import { GENERATED_FILE, generatedTypes } from './openapi-source.ts';

// `npm run api:generate`: rewrites packages/api-client/src/openapi.d.ts from the server's route schemas.
const source = await generatedTypes();
await writeFile(GENERATED_FILE, source);
process.stdout.write(`wrote ${GENERATED_FILE} (${source.length} characters)\n`);
