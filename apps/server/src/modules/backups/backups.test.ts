import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { until } from '../../../test/timing.ts';
import { ENCRYPTED_MAGIC } from './backups.crypto.ts';
import { sha256File } from './backups.files.ts';
import { createBackup, pruneBackups, restoreBackup, RestoreRefused, type BackupsDeps } from './index.ts';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(os.tmpdir(), 'novapos-backups-'));
const shop = useShop({ env: { BACKUP_DIR: dir } });
const owner = shop.as('owner');
const operator = shop.as('superadmin');
let deps: BackupsDeps;

beforeAll(async () => {
  deps = { db: shop.deps.db, config: shop.config, logger: silent };
  await shop.operatorToken();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** As the owner (no row-level security): every table of the schema → row count and an md5 of its sorted rows. */
async function tableChecksums(): Promise<Record<string, string>> {
  // A connection of its own: a restore ends the others.
  const client = new pg.Client({ connectionString: shop.t.database.ownerUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'backups' ORDER BY 1`,
    );
    const sums: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: string; sum: string }>(
        `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum
         FROM public."${name}" t`,
      );
      sums[name] = `${rows[0]?.n}:${rows[0]?.sum}`;
    }
    return sums;
  } finally {
    await client.end();
  }
}

/** Drops everything NovaPOS has in the database, as a disaster would. */
async function wipe(): Promise<void> {
  const client = new pg.Client({ connectionString: shop.t.database.ownerUrl });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** Waits until the backup `id` is no longer running, as the API lists it. */
async function waitForBackup(id: string): Promise<{ status: string; file_name: string; sha256: string }> {
  return until(`backup ${id} to finish`, async () => {
    const res = await operator.get('/v1/backups');
    expect(res.statusCode).toBe(200);
    const found = (res.json().data as { id: string; status: string; file_name: string; sha256: string }[]).find(
      (b) => b.id === id,
    );
    return found !== undefined && found.status !== 'running' ? found : undefined;
  });
}

describe('backups over HTTP', () => {
  it('/health/backup fails while no backup has succeeded', async () => {
    const res = await shop.anon.get('/health/backup');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.backup).toMatchObject({ status: 'down', message: 'no backup has succeeded yet' });
    const metrics = await shop.anon.get('/metrics');
    expect(metrics.body).toMatch(/^backup_last_success_timestamp_seconds 0$/m);
  });

  it('is for superadmins only', async () => {
    expectProblem(await owner.post('/v1/backups'), 403, 'forbidden');
    expectProblem(await shop.anon.get('/v1/backups'), 401, 'unauthorized');
  });

  it('POST starts a backup (202), one at a time (409), and the files carry a checksum and a manifest', async () => {
    const started = Date.now();
    const [a, b] = await Promise.all([operator.post('/v1/backups'), operator.post('/v1/backups')]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([202, 409]);
    const accepted = a.statusCode === 202 ? a : b;
    expectProblem(a.statusCode === 409 ? a : b, 409, 'backup_in_progress');
    expect(accepted.json()).toMatchObject({ status: 'running', trigger: 'api', encrypted: false });
    const done = await waitForBackup(accepted.json().id as string);
    expect(done.status).toBe('succeeded');
    const file = path.join(dir, done.file_name);
    expect(await sha256File(file)).toBe(done.sha256);
    expect(await fs.readFile(`${file}.sha256`, 'utf8')).toBe(`${done.sha256}  ${done.file_name}\n`);
    expect(JSON.parse(await fs.readFile(`${file}.json`, 'utf8'))).toMatchObject({
      id: accepted.json().id,
      status: 'succeeded',
    });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    // The backup finished within this test: its age and time stamp are bounded by when the test began (a second of
    // leeway for rounding), however long a busy machine took.
    const health = await shop.anon.get('/health/backup');
    expect(health.statusCode).toBe(200);
    expect(health.json().info.backup).toMatchObject({ status: 'up', last_backup: done.file_name, max_age_hours: 25 });
    expect(health.json().info.backup.age_seconds).toBeLessThanOrEqual((Date.now() - started) / 1000 + 1);
    const metrics = await shop.anon.get('/metrics');
    const stamp = Number(/^backup_last_success_timestamp_seconds (\S+)$/m.exec(metrics.body)?.[1]);
    expect(stamp).toBeGreaterThanOrEqual(started / 1000 - 1);
    expect(stamp).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('/health/backup fails once the last good backup is older than BACKUP_MAX_AGE_HOURS', async () => {
    const { backupHealth } = await import('./backups.health.ts');
    const report = await backupHealth(shop.deps.db, 25, Date.now() + 26 * 3600_000);
    expect(report.status).toBe('error');
    expect(report.error.backup).toMatchObject({ message: 'the last good backup is older than 25 hours' });
  });
});

describe('backup, wipe, restore', () => {
  it('brings back every table exactly, and refuses while a server is connected unless forced', async () => {
    // Some business data beyond the tenant: a product through the API.
    const product = await owner.post('/v1/products', {
      name: 'Backup Cola',
      variants: [{ sku: 'BK-1', price_cents: 199 }],
    });
    expect(product.statusCode, product.body).toBe(201);
    const before = await tableChecksums();
    expect(Object.keys(before).length).toBeGreaterThan(20);
    const backup = await createBackup(deps, 'cli');
    expect(backup.status).toBe('succeeded');

    await wipe();
    const gone = await owner.get('/v1/me');
    expect(gone.statusCode).toBe(500);

    // The test app's pools are connected, as a running server's would be.
    await expect(restoreBackup(deps, { file: backup.file_name, force: false })).rejects.toThrow(RestoreRefused);

    const steps: number[] = [];
    const result = await restoreBackup(deps, {
      file: backup.file_name,
      force: true,
      onProgress: (done, total) => steps.push(done / total),
    });
    expect(result).toMatchObject({ checksum: 'verified', encrypted: false, migrationsApplied: [] });
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.at(-1)).toBe(1);

    expect(await tableChecksums()).toEqual(before);
    // The backups table is rebuilt from the manifests: both backups of this file are on record again.
    const listed = await operator.get('/v1/backups');
    expect((listed.json().data as { id: string }[]).map((b) => b.id)).toContain(backup.id);
    // Row-level security and grants came back: the owner reads their tenant through the app role.
    const me = await owner.get('/v1/me');
    expect(me.statusCode, me.body).toBe(200);
  });

  it('encrypts with BACKUP_ENCRYPTION_KEY, restores with it, refuses a wrong key and a damaged file', async () => {
    const key = randomBytes(32);
    const enc: BackupsDeps = {
      ...deps,
      config: { ...shop.config, backups: { ...shop.config.backups, encryptionKey: key } },
    };
    const before = await tableChecksums();
    const backup = await createBackup(enc, 'cli');
    expect(backup).toMatchObject({ status: 'succeeded', encrypted: true });
    expect(backup.file_name).toMatch(/\.dump\.enc$/);
    const file = path.join(dir, backup.file_name);
    const head = (await fs.readFile(file)).subarray(0, ENCRYPTED_MAGIC.length);
    expect(head.equals(ENCRYPTED_MAGIC)).toBe(true);

    const wrong: BackupsDeps = {
      ...deps,
      config: { ...shop.config, backups: { ...shop.config.backups, encryptionKey: randomBytes(32) } },
    };
    await expect(restoreBackup(wrong, { file: backup.file_name, force: true })).rejects.toThrow(/authentication/);
    await expect(restoreBackup(deps, { file: backup.file_name, force: true })).rejects.toThrow(/BACKUP_ENCRYPTION_KEY/);

    // A copy with one byte flipped (and no checksum file) fails authentication; with the checksum, the checksum.
    const damaged = path.join(dir, 'damaged.dump.enc');
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    await fs.writeFile(damaged, bytes);
    await expect(restoreBackup(enc, { file: damaged, force: true })).rejects.toThrow(/authentication/);
    await fs.copyFile(`${file}.sha256`, `${damaged}.sha256`);
    await expect(restoreBackup(enc, { file: damaged, force: true })).rejects.toThrow(/checksum/);

    await wipe();
    const result = await restoreBackup(enc, { file: backup.file_name, force: true });
    expect(result).toMatchObject({ checksum: 'verified', encrypted: true });
    expect(await tableChecksums()).toEqual(before);
    // The decrypted temporary archive is gone.
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('.restore-'))).toEqual([]);
  });

  it('refuses a file that does not exist', async () => {
    await expect(restoreBackup(deps, { file: 'novapos-nope.dump', force: true })).rejects.toThrow(/No backup file/);
  });
});

describe('tools and retention', () => {
  it('answers 503 backups_unavailable when pg_dump is missing', async () => {
    const missing: BackupsDeps = {
      ...deps,
      config: { ...shop.config, backups: { ...shop.config.backups, pgDumpBin: '/nonexistent/pg_dump' } },
    };
    const err = await createBackup(missing, 'cli').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('backups_unavailable');
    expect((err as AppError).message).toMatch(/postgresql-client-15/);
  });

  it('deletes backups past BACKUP_RETENTION_DAYS and always keeps the newest good one', async () => {
    const files = (await fs.readdir(dir)).filter((f) => /^novapos-.*\.dump(\.enc)?$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const removed = await pruneBackups(deps, new Date(Date.now() + 31 * 86_400_000));
    expect(removed.length).toBe(files.length - 1);
    const left = (await fs.readdir(dir)).filter((f) => f.startsWith('novapos-'));
    expect(left.length).toBe(3); // the newest archive, its .sha256 and its .json
    const health = await shop.anon.get('/health/backup');
    expect(health.statusCode).toBe(200);
  });
});
