import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverOpenApiDocument } from './openapi-source.ts';

// `npm run lint:openapi`: the server's OpenAPI document, built by buildApp exactly as /openapi.json serves it
// (without listening or a database), linted by Redocly CLI with the repository's redocly.yaml. Exits non-zero on
// any error, so CI fails; warnings are printed. docs/api.md.
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const dir = await mkdtemp(path.join(tmpdir(), 'novapos-openapi-'));
const file = path.join(dir, 'openapi.json');
try {
  await writeFile(file, JSON.stringify(await serverOpenApiDocument(), null, 2));
  const result = spawnSync(
    process.execPath,
    [cli, 'lint', file, '--config', path.join(root, 'redocly.yaml'), '--format', 'stylish', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      // No telemetry and no update check: the lint must not reach for the network (CI has none).
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = result.status ?? 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
