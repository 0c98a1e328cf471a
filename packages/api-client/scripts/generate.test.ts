import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { GENERATED_FILE, generatedTypes } from './openapi-source.ts';

test('the committed API types match the server’s OpenAPI document (run `npm run api:generate` if not)', async () => {
  const committed = await readFile(GENERATED_FILE, 'utf8');
  const fresh = await generatedTypes();
  expect(committed === fresh, 'packages/api-client/src/openapi.d.ts is out of date: npm run api:generate').toBe(true);
}, 60_000);
