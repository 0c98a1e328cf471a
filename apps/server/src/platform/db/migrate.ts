import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** The folder of plain-SQL migrations, applied in file-name order, forward only. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/** Raised when an applied migration's file has changed since: migrations are history and never edited. */
export class MigrationChangedError extends Error {
  override name = 'MigrationChangedError';
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction, under an advisory
 * lock so that servers starting together never race. Returns the versions applied now; `onApplied` hears of each
 * (the CLI's progress).
 */
export async function migrate(
  pool: pg.Pool,
  dir: string = MIGRATIONS_DIR,
  onApplied?: (migration: Pick<Migration, 'version' | 'name'>) => void,
): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('novapos.migrate'))`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new MigrationChangedError(
            `Migration ${m.version}_${m.name} was changed after it was applied. Migrations are forward-only: ` +
              'restore the file and add a new migration instead.',
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      done.push(m.version);
      onApplied?.(m);
    }
    return done;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('novapos.migrate'))`).catch(() => undefined);
    client.release();
  }
}

/** Versions known to the code but not applied to the database (empty when the schema is current). */
export async function pendingMigrations(pool: pg.Pool, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  const { rows } = await pool
    .query<{ version: string }>('SELECT version FROM schema_migrations')
    .catch(() => ({ rows: [] as { version: string }[] }));
  const applied = new Set(rows.map((r) => r.version));
  return migrations.filter((m) => !applied.has(m.version)).map((m) => m.version);
}
