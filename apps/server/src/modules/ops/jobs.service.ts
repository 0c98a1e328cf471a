import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import {
  findJob,
  jobSchemaInstalled,
  listJobs as listQueueJobs,
  retryDeadJob,
  type JobRow,
} from '../../platform/jobs/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { JobDto, JobQuery } from './jobs.schemas.ts';

function toDto(row: JobRow): JobDto {
  return {
    id: row.id,
    queue: row.queue,
    state: row.state,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    last_error: row.last_error,
    key: row.key,
    run_at: row.run_at.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function beforeId(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const { id } = decodeCursor(cursor, ['id']);
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  return id;
}

/**
 * Jobs of the queue, newest first; `state: 'failed'` lists the dead letters. Read on the system pool (the queue's
 * schema is the owner's; the app role has no right in it). Empty before the queue was ever started.
 */
export async function listJobs(db: Database, q: JobQuery): Promise<{ data: JobDto[]; next_cursor: string | null }> {
  const limit = q.limit ?? 50;
  const before = beforeId(q.cursor);
  if (!(await jobSchemaInstalled(db.system))) return { data: [], next_cursor: null };
  const rows = await listQueueJobs(db.system, { state: q.state, queue: q.queue, before, limit });
  return toPage(rows.map(toDto), limit, (last) => ({ id: last.id }));
}

/**
 * Gives a dead job another run: due now, attempts reset (so it again has its full number of tries). Audited as
 * `job.retried` in the platform chain. An unknown job is 404 `not_found`; one that is not dead (waiting, running,
 * scheduled) is 409 `conflict`.
 */
export async function retryJob(db: Database, ctx: RequestContext, id: string): Promise<JobDto> {
  const platformCtx: RequestContext = { ...ctx, tenantId: undefined, registerId: undefined };
  const installed = await jobSchemaInstalled(db.system);
  const row = await systemTx(db, async (tx) => {
    const current = installed ? await findJob(tx, id) : undefined;
    if (current === undefined) throw new AppError('not_found', 'No job has this id');
    if (current.state !== 'failed' || !(await retryDeadJob(tx, id))) {
      throw new AppError('conflict', `A ${current.state} job cannot be retried; only failed (dead) jobs can`);
    }
    await recordAudit(tx, platformCtx, {
      action: 'job.retried',
      entityType: 'job',
      entityId: id,
      data: { queue: current.queue, previous_attempts: current.attempts, last_error: current.last_error },
    });
    return (await findJob(tx, id)) ?? current;
  });
  return toDto(row);
}
