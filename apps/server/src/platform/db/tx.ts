import type pg from 'pg';
import type { RequestContext } from '../context.ts';
import { isUuid } from '../ids.ts';
import type { Database, Queryable } from './database.ts';

/**
 * An open transaction. Repositories run their SQL on it; `afterCommit` schedules work that must only happen once
 * the change is durable (waking the outbox relay, for example) and is dropped on rollback.
 */
export interface Tx extends Queryable {
  afterCommit(fn: () => void): void;
}

class PoolTx implements Tx {
  readonly committed: (() => void)[] = [];
  private readonly client: pg.PoolClient;
  constructor(client: pg.PoolClient) {
    this.client = client;
  }
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(sql, params);
  }
  afterCommit(fn: () => void): void {
    this.committed.push(fn);
  }
}

async function run<T>(db: Database, pool: pg.Pool, begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx = new PoolTx(client);
  let broken: Error | undefined;
  try {
    // A connection's first transaction also makes it listen for pricing changes (change-feed.ts), in the same
    // round trip as BEGIN.
    const listen = db.pricingChanges.listenStatement(client);
    await client.query(listen === '' ? begin : `${begin}; ${listen}`);
    const result = await fn(tx);
    await client.query('COMMIT');
    if (listen !== '') db.pricingChanges.listening(client);
    for (const hook of tx.committed) hook();
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The connection itself is gone: do not return it to the pool.
      broken = rollbackError as Error;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Runs `fn` in a transaction of the context's tenant on the app pool. Row-level security sees only that
 * tenant's rows: `app.tenant_id` is set for this transaction alone (set_config(..., true)), so a pooled
 * connection never carries one tenant's setting into another's request.
 */
export function tenantTx<T>(db: Database, ctx: RequestContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const tenantId = ctx.tenantId;
  if (tenantId === undefined || !isUuid(tenantId)) {
    return Promise.reject(new Error('tenantTx needs a context with a tenant'));
  }
  // One round trip for BEGIN and the setting; the id is a checked UUID, so inlining it is safe.
  return run(db, db.app, `BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`, fn);
}

/** A transaction outside every tenant, on the app pool: it sees platform rows only (operators, settings). */
export function platformTx<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return run(db, db.app, 'BEGIN', fn);
}

/** A transaction as the table owner, which row-level security does not restrict. Never for request handlers. */
export function systemTx<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return run(db, db.system, 'BEGIN', fn);
}
