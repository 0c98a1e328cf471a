import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgres, isProcessAlive, readPostmasterPid } from '../src/platform/db/embedded-postgres.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { until } from './timing.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser connection string of the test PostgreSQL (its `postgres` database). */
    pgAdminUrl: string;
    /** A migrated database every test file clones. */
    pgTemplate: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * One PostgreSQL for the whole run: the embedded one (npm test on a machine with only Node.js), or the server in
 * TEST_DATABASE_URL (CI runs the suites again against PostgreSQL 15). Migrations run once, into a template that
 * each test file clones into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  let adminUrl: string;
  const external = process.env.TEST_DATABASE_URL;
  if (external !== undefined && external !== '') {
    adminUrl = external;
  } else {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'novapos-test-pg-'));
    await fs.chmod(dir, 0o755);
    embedded = new EmbeddedPostgres({
      pgDataDir: path.join(dir, 'pg'),
      port: await freePort(),
      superuserPassword: randomBytes(12).toString('hex'),
    });
    await embedded.start();
    adminUrl = embedded.superuserUrl;
  }
  const template = `novapos_tpl_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, template), max: 1 });
  await migrate(pool);
  await pool.end();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    // Drop what this run made on a shared server; the embedded one goes away with its folder.
    if (embedded === undefined) {
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 || '%' ORDER BY datname = $1`,
        [template],
      );
      // Clones first, the template last.
      for (const { datname } of rows) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
      }
    }
    await admin.end();
    const pid = dir === undefined ? undefined : await readPostmasterPid(path.join(dir, 'pg'));
    await embedded?.stop();
    // stop() stops waiting after a while; on a busy machine postgres may still be writing its shutdown checkpoint
    // into the folder, which can go only once postgres has exited.
    if (pid !== undefined) await until('the test PostgreSQL to exit', async () => !isProcessAlive(pid));
    if (dir !== undefined) await fs.rm(dir, { recursive: true, force: true });
  };
}
