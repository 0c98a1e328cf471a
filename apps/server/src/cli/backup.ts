import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from '../platform/config.ts';
import { openDatabaseTarget, type DatabaseTarget } from '../platform/db/connect.ts';
import { createDatabase, type Database } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { loggerOptions } from '../platform/logger.ts';
import type { BackupDto } from '../modules/backups/index.ts';
import { startProgress } from './progress.ts';
import { wholeNumber } from './usage.ts';

/**
 * `novapos backup create | list | restore FILE`. They work with the server running (embedded mode shares its
 * database) or stopped; restore refuses while a server or worker is connected unless --force.
 */

async function withTarget<T>(fn: (db: Database, cfg: Config, target: DatabaseTarget) => Promise<T>): Promise<T> {
  const cfg = loadConfig();
  const target = await openDatabaseTarget(cfg, { shareRunning: true });
  // `novapos-cli` sessions are not counted as a running server by restore's check.
  const db = createDatabase({ ownerUrl: target.ownerUrl, poolMax: 2, applicationName: 'novapos-cli' });
  try {
    return await fn(db, cfg, target);
  } finally {
    await db.close();
    await target.release();
  }
}

function sizeOf(bytes: number | null): string {
  if (bytes === null) return '—';
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function line(b: BackupDto): string {
  return `${b.started_at}  ${b.status.padEnd(9)} ${b.trigger.padEnd(8)} ${sizeOf(b.size_bytes).padStart(10)}  ${b.file_name}`;
}

/** The size of the archive being written: pg_dump's output goes to `<file>.partial` in BACKUP_DIR until done. */
async function partialBytes(dir: string): Promise<number | undefined> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.partial'));
  const sizes = await Promise.all(
    names.map((n) =>
      stat(path.join(dir, n)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.length === 0 ? undefined : Math.max(...sizes);
}

/** Runs `work`, showing the bytes written so far as progress (pg_dump cannot say how much is left). */
async function withBackupProgress<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const progress = startProgress({ label: 'backup', unit: 'bytes' });
  let written = 0;
  const poll = setInterval(() => {
    void partialBytes(dir).then((bytes) => {
      if (bytes !== undefined) written = Math.max(written, bytes);
      progress.update(written, 'written');
    });
  }, 250);
  try {
    return await work();
  } finally {
    clearInterval(poll);
    progress.stop();
  }
}

export function backupCommand(program: Command): void {
  const backup = program.command('backup').description('back up and restore the whole database (pg_dump)');

  backup
    .command('create')
    .description('write a backup to BACKUP_DIR now (checksummed; encrypted when BACKUP_ENCRYPTION_KEY is set)')
    .option('--json', 'print the backup as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { createBackup } = await import('../modules/backups/index.ts');
      const result = await withTarget(async (db, cfg) => {
        await migrate(db.system);
        const logger = pino({ ...loggerOptions(cfg), level: 'warn' });
        return withBackupProgress(cfg.backups.dir, () => createBackup({ db, config: cfg, logger }, 'cli'));
      });
      if (opts.json === true) console.log(JSON.stringify(result));
      else if (result.status === 'succeeded') {
        console.log(`Backup written: ${loadConfig().backups.dir}/${result.file_name}`);
        console.log(
          `  ${sizeOf(result.size_bytes)}, sha256 ${result.sha256 ?? ''}${result.encrypted ? ', encrypted' : ''}`,
        );
      }
      if (result.status !== 'succeeded') {
        console.error(`Backup failed: ${result.error ?? 'unknown error'}`);
        process.exitCode = 1;
      }
    });

  backup
    .command('list')
    .description('the backups recorded in the database, newest first')
    .option('--limit <n>', 'how many, 1 to 200 (default 20)', wholeNumber(1, 200))
    .option('--json', 'print JSON')
    .action(async (opts: { limit?: number; json?: boolean }) => {
      const { listBackups } = await import('../modules/backups/index.ts');
      const rows = await withTarget(async (db) => {
        await migrate(db.system);
        return listBackups(db, opts.limit ?? 20);
      });
      if (opts.json === true) console.log(JSON.stringify(rows));
      else if (rows.length === 0) console.log('No backups yet: novapos backup create');
      else for (const b of rows) console.log(line(b));
    });

  backup
    .command('restore')
    .description('replace the whole database with a backup (refused while a server is connected, unless --force)')
    .argument('<file>', 'the backup file (a path, or a file name in BACKUP_DIR)')
    .option('--force', 'restore even though a NovaPOS server or worker is connected')
    .action(async (file: string, opts: { force?: boolean }) => {
      const { restoreBackup } = await import('../modules/backups/index.ts');
      const bar = new SingleBar({
        format: 'Restoring [{bar}] {percentage}% | {value}/{total} steps',
        hideCursor: true,
        barCompleteChar: '#',
        barIncompleteChar: '-',
        // Progress also when stderr is not a terminal (CI logs, a pipe), every half second at most.
        noTTYOutput: true,
        notTTYSchedule: 500,
      });
      let started = false;
      const result = await withTarget((db, cfg, target) =>
        restoreBackup(
          { db, config: cfg, logger: pino({ ...loggerOptions(cfg), level: 'warn' }) },
          {
            file,
            force: opts.force === true,
            serverRunning: target.mode === 'embedded-shared',
            onProgress: (done, total) => {
              if (!started) {
                started = true;
                bar.start(total, 0);
              }
              bar.update(done);
            },
          },
        ),
      ).finally(() => {
        if (started) bar.stop();
      });
      console.log(`Restored ${result.file} in ${(result.milliseconds / 1000).toFixed(1)} s`);
      console.log(
        `  checksum ${result.checksum}${result.encrypted ? ', decrypted' : ''}, ${result.entries} archive entries, ` +
          `migrations applied after: ${result.migrationsApplied.length === 0 ? 'none' : result.migrationsApplied.join(', ')}, ` +
          `backups on record: ${result.backupsRecorded}`,
      );
    });
}
