import pg from 'pg';
import type { RequestContext } from '../context.ts';
import { isUuid } from '../ids.ts';
import { preparedName, type Database, type Queryable } from './database.ts';

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
    const name = preparedName(sql);
    return name === undefined
      ? this.client.query<R>(sql, params)
      : this.client.query<R>({ name, text: sql, ...(params === undefined ? {} : { values: params }) });
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
    broken = await rollBack(client);
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Rolls a failed transaction back; answers the error of a connection that cannot even do that (not to be reused). */
async function rollBack(client: pg.PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (rollbackError) {
    return rollbackError as Error;
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

/** A parameter as an SQL literal: client-side binding for `tenantStatement`, through the driver's own escaping. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a statement parameter must be a finite number');
    return pg.escapeLiteral(String(value));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object' && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)) {
    return pg.escapeLiteral(JSON.stringify(value));
  }
  throw new TypeError(`a statement parameter cannot be a ${typeof value}`);
}

/** `sql` with each `$n` replaced by the literal of `params[n - 1]`; `sql` itself must hold no `$` of its own. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new RangeError(`statement parameter $${n} is missing`);
    return literal(params[index]);
  });
}

/**
 * One statement in a tenant transaction of its own, in ONE round trip: BEGIN, the tenant setting, the statement
 * and COMMIT go to the server as one simple-protocol message (node-postgres cannot pipeline). Parameters are
 * therefore bound on the client, as escaped literals (strings, finite numbers, booleans, null, plain JSON); the
 * result is that of the statement. For small bookkeeping transactions on the hot path (idempotency keys), where
 * each saved round trip is a saved write and read on both sides (docs/performance.md).
 */
export async function tenantStatement<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Database,
  ctx: RequestContext,
  sql: string,
  params: readonly unknown[],
): Promise<pg.QueryResult<R>> {
  const tenantId = ctx.tenantId;
  if (tenantId === undefined || !isUuid(tenantId)) throw new Error('tenantStatement needs a context with a tenant');
  const statement = inlineParams(sql, params);
  const client = await db.app.connect();
  let broken: Error | undefined;
  try {
    const listen = db.pricingChanges.listenStatement(client);
    const parts = ['BEGIN', `SELECT set_config('app.tenant_id', '${tenantId}', true)`, statement, 'COMMIT'];
    if (listen !== '') parts.splice(2, 0, listen);
    const results = (await client.query(parts.join(';\n'))) as unknown as pg.QueryResult<R>[];
    if (listen !== '') db.pricingChanges.listening(client);
    const result = results[results.length - 2];
    if (result === undefined) throw new Error('the statement returned no result');
    return result;
  } catch (err) {
    // A failed statement leaves the transaction aborted and the rest of the message (COMMIT) unsent.
    broken = await rollBack(client);
    throw err;
  } finally {
    client.release(broken);
  }
}
