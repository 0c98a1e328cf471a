#!/usr/bin/env node
// The installed `novapos` command. The CLI is TypeScript that Node 24 runs directly (type stripping); an older
// Node would fail with a cryptic "unknown file extension", so say what is wrong instead.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `NovaPOS needs Node.js 24 or later (this is ${process.version}). ` +
      'Run it through npm (`npm start`, `npm run novapos -- …`), which uses the Node pinned in devDependencies.\n',
  );
  process.exit(1);
}
await import('../src/cli.ts');
