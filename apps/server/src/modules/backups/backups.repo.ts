import type { Queryable } from '../../platform/db/database.ts';
import type { BackupDto } from './backups.schemas.ts';

interface BackupRow {
  id: string;
  file_name: string;
  status: BackupDto['status'];
  trigger: BackupDto['trigger'];
  encrypted: boolean;
  size_bytes: number | null;
  sha256: string | null;
  error: string | null;
  server_version: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `id, file_name, status, trigger, encrypted, size_bytes, sha256, error, server_version, started_at,
  finished_at`;

function toDto(r: BackupRow): BackupDto {
  return {
    ...r,
    started_at: r.started_at.toISOString(),
    finished_at: r.finished_at?.toISOString() ?? null,
  };
}

export async function insertRunning(
  db: Queryable,
  row: { id: string; fileName: string; trigger: BackupDto['trigger']; encrypted: boolean },
): Promise<BackupDto> {
  const { rows } = await db.query<BackupRow>(
    `INSERT INTO backups (id, file_name, status, trigger, encrypted) VALUES ($1, $2, 'running', $3, $4)
     RETURNING ${COLUMNS}`,
    [row.id, row.fileName, row.trigger, row.encrypted],
  );
  return toDto(rows[0] as BackupRow);
}

export async function finish(
  db: Queryable,
  id: string,
  outcome: {
    status: 'succeeded' | 'failed';
    sizeBytes?: number;
    sha256?: string;
    error?: string;
    serverVersion?: string;
  },
): Promise<BackupDto> {
  const { rows } = await db.query<BackupRow>(
    `UPDATE backups SET status = $2, size_bytes = $3, sha256 = $4, error = $5, server_version = $6,
       finished_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      outcome.status,
      outcome.sizeBytes ?? null,
      outcome.sha256 ?? null,
      outcome.error?.slice(0, 1000) ?? null,
      outcome.serverVersion ?? null,
    ],
  );
  return toDto(rows[0] as BackupRow);
}

export async function list(db: Queryable, limit: number): Promise<BackupDto[]> {
  const { rows } = await db.query<BackupRow>(
    `SELECT ${COLUMNS} FROM backups ORDER BY started_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toDto);
}

export async function lastSucceeded(db: Queryable): Promise<BackupDto | undefined> {
  const { rows } = await db.query<BackupRow>(
    `SELECT ${COLUMNS} FROM backups WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`,
  );
  return rows[0] === undefined ? undefined : toDto(rows[0]);
}

/** Backups that started before `cutoff`, except the newest good one (retention never leaves nothing to restore). */
export async function olderThan(db: Queryable, cutoff: Date): Promise<BackupDto[]> {
  const { rows } = await db.query<BackupRow>(
    `SELECT ${COLUMNS} FROM backups
     WHERE started_at < $1 AND status <> 'running'
       AND id IS DISTINCT FROM (SELECT id FROM backups WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1)`,
    [cutoff],
  );
  return rows.map(toDto);
}

export async function remove(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM backups WHERE id = $1', [id]);
}

/** Writes a manifest's row back (after a restore, which brings back the table as it was in the dump: empty). */
export async function upsert(db: Queryable, b: BackupDto): Promise<void> {
  await db.query(
    `INSERT INTO backups (id, file_name, status, trigger, encrypted, size_bytes, sha256, error, server_version,
       started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO NOTHING`,
    [
      b.id,
      b.file_name,
      b.status,
      b.trigger,
      b.encrypted,
      b.size_bytes,
      b.sha256,
      b.error,
      b.server_version,
      b.started_at,
      b.finished_at,
    ],
  );
}

/** A running backup whose process died never finishes: mark it failed so it does not stay `running` forever. */
export async function failStale(db: Queryable, olderThanHours: number): Promise<void> {
  await db.query(
    `UPDATE backups SET status = 'failed', error = 'the backup process stopped before finishing', finished_at = now()
     WHERE status = 'running' AND started_at < now() - make_interval(hours => $1)`,
    [olderThanHours],
  );
}
