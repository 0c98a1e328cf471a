import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { migrate } from '../../platform/db/migrate.ts';
import { newId } from '../../platform/ids.ts';
import { decryptStream, ENCRYPTED_MAGIC } from './backups.crypto.ts';
import { readChecksum, sha256File } from './backups.files.ts';
import { ownerConnectionString, serverVersion, syncFromManifests, type BackupsDeps } from './backups.service.ts';
import { requireTool, runTool, toolTarget } from './backups.tools.ts';

/** Why a restore did not run; the CLI prints the message and exits 1. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

export interface RestoreOptions {
  /** The archive: a path, or a file name inside BACKUP_DIR. */
  readonly file: string;
  /** Restore even though a NovaPOS server or worker is connected to the database. */
  readonly force: boolean;
  /** True when the caller knows a server holds the data folder (embedded mode). */
  readonly serverRunning?: boolean;
  /** Told after each archive entry pg_restore handles. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RestoreResult {
  readonly file: string;
  readonly checksum: 'verified' | 'absent';
  readonly encrypted: boolean;
  readonly entries: number;
  readonly migrationsApplied: readonly string[];
  readonly backupsRecorded: number;
  readonly milliseconds: number;
}

/**
 * NovaPOS processes connected to this database other than this command: servers and workers name their sessions
 * `novapos-app` / `novapos-system` (application_name), the CLI `novapos-cli-…`, pg_dump `novapos-backup`.
 */
export async function connectedNovaposSessions(deps: Pick<BackupsDeps, 'db'>): Promise<number> {
  const { rows } = await deps.db.system.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND application_name LIKE 'novapos%' AND application_name NOT LIKE 'novapos-cli%'`,
  );
  return rows[0]?.n ?? 0;
}

async function resolveFile(dir: string, file: string): Promise<string> {
  const candidates = path.isAbsolute(file) ? [file] : [path.resolve(file), path.join(dir, file)];
  for (const c of candidates) {
    if (
      await fs.stat(c).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
      return c;
    }
  }
  throw new RestoreRefused(`No backup file ${file} (looked in the current folder and in BACKUP_DIR ${dir})`);
}

async function isEncrypted(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(ENCRYPTED_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
    return head.equals(ENCRYPTED_MAGIC);
  } finally {
    await handle.close();
  }
}

/** The number of entries in the archive's table of contents (`pg_restore --list`), for the progress bar. */
async function countEntries(bin: string, archive: string): Promise<number> {
  let out = '';
  const { child, done } = runTool(bin, ['--list', archive], process.env, { stdout: 'pipe' });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const run = await done;
  if (run.code !== 0) throw new RestoreRefused(`pg_restore cannot read the archive: ${run.stderr}`);
  return out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';')).length;
}

/**
 * Restores a backup over the current database:
 * 1. refuses while a NovaPOS server or worker is connected, unless forced (a running server would see its tables
 *    dropped and refilled under it);
 * 2. checks the archive against its `.sha256` (a mismatch refuses; no checksum file is reported, not refused, so a
 *    dump copied alone can still be restored);
 * 3. decrypts an encrypted archive into a private temporary file and uses it only if it authenticates;
 * 4. `pg_restore --clean --if-exists --single-transaction --exit-on-error`: either the whole backup replaces the
 *    database or nothing changes;
 * 5. applies migrations newer than the backup, and records the manifests of BACKUP_DIR in the `backups` table.
 */
export async function restoreBackup(deps: BackupsDeps, options: RestoreOptions): Promise<RestoreResult> {
  const { config, db } = deps;
  const started = Date.now();
  const file = await resolveFile(config.backups.dir, options.file);
  const version = await serverVersion(db.system);
  await requireTool(config.backups.pgRestoreBin, version.major);
  const sessions = await connectedNovaposSessions(deps);
  if ((options.serverRunning === true || sessions > 0) && !options.force) {
    throw new RestoreRefused(
      `A NovaPOS server or worker is using this database (${sessions} connection(s)${
        options.serverRunning === true ? ', and a server holds the data folder' : ''
      }). Stop every server and worker first, or pass --force to restore under them (switch maintenance mode on).`,
    );
  }
  const expected = await readChecksum(file);
  if (expected !== undefined && (await sha256File(file)) !== expected) {
    throw new RestoreRefused(`${path.basename(file)} does not match its .sha256 checksum: the file is damaged`);
  }
  const encrypted = await isEncrypted(file);
  let archive = file;
  if (encrypted) {
    const key = config.backups.encryptionKey;
    if (key === undefined) throw new RestoreRefused('The backup is encrypted: set BACKUP_ENCRYPTION_KEY to its key');
    archive = path.join(path.dirname(file), `.restore-${newId()}.dump`);
    try {
      await pipeline(createReadStream(file), decryptStream(key), createWriteStream(archive, { mode: 0o600 }));
    } catch (err) {
      await fs.rm(archive, { force: true });
      throw new RestoreRefused((err as Error).message);
    }
  }
  try {
    const entries = await countEntries(config.backups.pgRestoreBin, archive);
    // Grants in the dump name novapos_app, a cluster-wide role that a new cluster does not have yet.
    await db.system.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'novapos_app') THEN
        CREATE ROLE novapos_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF; END $$`);
    const target = toolTarget(ownerConnectionString(db));
    const args = [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      '--exit-on-error',
      '--verbose',
      `--dbname=${target.dbUrl}`,
      archive,
    ];
    // --verbose names each entry as it drops, creates or fills it: two steps per entry with --clean.
    const total = entries * 2;
    let done = 0;
    const step = /^pg_restore: (dropping|creating|processing|executing|restoring)/;
    const run = await runTool(config.backups.pgRestoreBin, args, target.env, {
      onLine: (line) => {
        if (!step.test(line)) return;
        done = Math.min(done + 1, total);
        options.onProgress?.(done, total);
      },
    }).done;
    if (run.code !== 0) throw new Error(`pg_restore exited with ${run.code}; nothing was changed: ${run.stderr}`);
    options.onProgress?.(total, total);
    const migrationsApplied = await migrate(db.system);
    const backupsRecorded = await syncFromManifests(deps);
    return {
      file,
      checksum: expected === undefined ? 'absent' : 'verified',
      encrypted,
      entries,
      migrationsApplied,
      backupsRecorded,
      milliseconds: Date.now() - started,
    };
  } finally {
    if (archive !== file) await fs.rm(archive, { force: true });
  }
}
