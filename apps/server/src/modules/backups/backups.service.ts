import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { Config } from '../../platform/config.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { encryptStream } from './backups.crypto.ts';
import {
  backupFileName,
  hashingStream,
  readManifests,
  removeFiles,
  writeChecksum,
  writeManifest,
} from './backups.files.ts';
import * as repo from './backups.repo.ts';
import type { BackupDto } from './backups.schemas.ts';
import { requireTool, runTool, toolTarget } from './backups.tools.ts';

export interface BackupsDeps {
  readonly db: Database;
  readonly config: Config;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** One backup at a time per database, whichever server, worker or CLI asks: a session-level advisory lock. */
const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtext('novapos.backup')) AS ok`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtext('novapos.backup'))`;

/** The owner's connection string; pg_dump must see every tenant's rows, which only the owner (or BYPASSRLS) can. */
export function ownerConnectionString(db: Database): string {
  const url = db.system.options.connectionString;
  if (url === undefined) throw new Error('the system pool has no connection string');
  return url;
}

export async function serverVersion(db: Queryable): Promise<{ text: string; major: number }> {
  const { rows } = await db.query<{ v: string; n: string }>(
    `SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`,
  );
  const row = rows[0] as { v: string; n: string };
  return { text: row.v, major: Math.floor(Number(row.n) / 10_000) };
}

/** A backup that has started; `finished` settles when the archive is written (or the attempt failed). */
export interface StartedBackup {
  readonly backup: BackupDto;
  readonly finished: Promise<BackupDto>;
}

/**
 * Starts a logical backup of the whole database: `pg_dump --format=custom` (one consistent snapshot of every table,
 * compressed), optionally encrypted (AES-256-GCM, streamed), written to BACKUP_DIR under a temporary name and
 * renamed when complete, with its SHA-256 checksum and manifest beside it. Refuses with 409 `backup_in_progress`
 * while another backup of this database runs, and 503 `backups_unavailable` when pg_dump is missing or too old.
 */
export async function startBackup(deps: BackupsDeps, trigger: BackupDto['trigger']): Promise<StartedBackup> {
  const { config, db } = deps;
  const version = await serverVersion(db.system);
  await requireTool(config.backups.pgDumpBin, version.major);
  const client = await db.system.connect();
  let locked = false;
  try {
    locked = (await client.query<{ ok: boolean }>(LOCK_SQL)).rows[0]?.ok === true;
    if (!locked) throw new AppError('backup_in_progress', 'Another backup of this database is running');
    await fs.mkdir(config.backups.dir, { recursive: true, mode: 0o700 });
    const id = newId();
    const encrypted = config.backups.encryptionKey !== undefined;
    const fileName = backupFileName(id, new Date(), encrypted);
    const backup = await repo.insertRunning(client, { id, fileName, trigger, encrypted });
    const finished = dump(deps, backup, version.text).finally(async () => {
      await client.query(UNLOCK_SQL).catch(() => undefined);
      client.release();
    });
    return { backup, finished };
  } catch (err) {
    if (locked) await client.query(UNLOCK_SQL).catch(() => undefined);
    client.release();
    throw err;
  }
}

/** Runs pg_dump into the file; records the outcome in the row and the manifest. Never rejects. */
async function dump(deps: BackupsDeps, backup: BackupDto, version: string): Promise<BackupDto> {
  const { config, db, logger } = deps;
  const file = path.join(config.backups.dir, backup.file_name);
  const partial = `${file}.partial`;
  const started = Date.now();
  try {
    const target = toolTarget(ownerConnectionString(db));
    // The backups table's own rows stay out: restoring an old dump must not forget the backups made after it.
    const args = ['--format=custom', '--exclude-table-data=public.backups', `--dbname=${target.dbUrl}`];
    const { child, done } = runTool(config.backups.pgDumpBin, args, target.env, { stdout: 'pipe' });
    const hashed = hashingStream();
    const key = config.backups.encryptionKey;
    const written = pipeline(
      child.stdout as Readable,
      key === undefined ? new PassThrough() : encryptStream(key),
      hashed.stream,
      createWriteStream(partial, { mode: 0o600 }),
    );
    const [run] = await Promise.all([done, written]);
    if (run.code !== 0) throw new Error(`pg_dump exited with ${run.code}: ${run.stderr}`);
    const { sha256, bytes } = hashed.result();
    await fs.rename(partial, file);
    await writeChecksum(file, sha256);
    const result = await repo.finish(db.system, backup.id, {
      status: 'succeeded',
      sizeBytes: bytes,
      sha256,
      serverVersion: version,
    });
    await writeManifest(file, result);
    logger.info(
      { backup: result.file_name, bytes, ms: Date.now() - started, encrypted: result.encrypted },
      'backup written',
    );
    return result;
  } catch (err) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    const message = (err as Error).message;
    logger.error({ backup: backup.file_name, err: message }, 'backup failed');
    return repo.finish(db.system, backup.id, { status: 'failed', error: message });
  }
}

/** A backup from start to finish (the CLI and the scheduled job wait for it). */
export async function createBackup(deps: BackupsDeps, trigger: BackupDto['trigger']): Promise<BackupDto> {
  return (await startBackup(deps, trigger)).finished;
}

export function listBackups(db: Database, limit: number): Promise<BackupDto[]> {
  return repo.list(db.system, limit);
}

export function lastGoodBackup(db: Database): Promise<BackupDto | undefined> {
  return repo.lastSucceeded(db.system);
}

/**
 * Deletes backups (files and rows) older than BACKUP_RETENTION_DAYS, always keeping the newest good one, and marks
 * backups `running` for over a day as failed (their process died). Returns the file names removed.
 */
export async function pruneBackups(deps: BackupsDeps, now: Date = new Date()): Promise<string[]> {
  const { config, db } = deps;
  await repo.failStale(db.system, 24);
  const cutoff = new Date(now.getTime() - config.backups.retentionDays * 86_400_000);
  const removed: string[] = [];
  for (const old of await repo.olderThan(db.system, cutoff)) {
    await removeFiles(path.join(config.backups.dir, old.file_name));
    await repo.remove(db.system, old.id);
    removed.push(old.file_name);
  }
  if (removed.length > 0) deps.logger.info({ removed }, 'old backups deleted (retention)');
  return removed;
}

/** Puts the manifests of BACKUP_DIR back into the table (after a restore, whose dump has the table empty). */
export async function syncFromManifests(deps: Pick<BackupsDeps, 'db' | 'config'>): Promise<number> {
  const manifests = await readManifests(deps.config.backups.dir);
  for (const m of manifests) await repo.upsert(deps.db.system, m);
  return manifests.length;
}
