/**
 * How the server tests wait. A test waits for the thing it needs (a line on a process's output, a port, a row, a
 * session blocked on a lock), never for a guessed number of milliseconds. The only clock is one safety net against
 * a hang: a test, a hook or a wait that takes longer than SAFETY_NET_MS is deemed stuck. It is deliberately far
 * beyond what anything takes on a loaded two-core machine, so it never decides pass or fail under normal load;
 * TEST_TIMEOUT_SCALE multiplies it for a slower machine (e.g. `TEST_TIMEOUT_SCALE=3 npm test`).
 *
 * This file is imported by vitest.config.ts, so it must not import vitest.
 */
import type pg from 'pg';

function scale(): number {
  const raw = process.env.TEST_TIMEOUT_SCALE;
  const value = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`TEST_TIMEOUT_SCALE must be a positive number: ${raw}`);
  return value;
}

/** The multiplier of every bound below (TEST_TIMEOUT_SCALE, default 1). */
export const TIMEOUT_SCALE = scale();

/** The one safety net of the suite: vitest's test and hook timeout, and the bound of every wait below. */
export const SAFETY_NET_MS = 300_000 * TIMEOUT_SCALE;

/** How often `until` looks again: a cheap poll of a condition, not a guess of how long anything takes. */
const POLL_MS = 20;

/**
 * Resolves with the first truthy value of `check`, looking again every few milliseconds; `what` names the awaited
 * thing in the error a stuck wait ends with (after SAFETY_NET_MS, which vitest's own timeout normally beats).
 * `signal` stops a wait that lost a race (it then rejects with the signal's reason).
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + SAFETY_NET_MS;
  for (;;) {
    signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${SAFETY_NET_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Resolves once some session of the database `db` is connected to waits for a lock (a request blocked on a row). */
export async function waitForLockWait(db: pg.Pool | pg.Client, signal?: AbortSignal): Promise<void> {
  await until(
    'a session to wait for a lock',
    async () => {
      const { rows } = await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return rows.length > 0;
    },
    signal,
  );
}

/** Whether a promise has settled yet, without waiting for it. */
export function settledState(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/**
 * Runs `assertion` (an expect() or a few) until it holds, looking again every few milliseconds, and returns its
 * value: for a state that another process or a background loop reaches in its own time. A wait that never ends
 * fails with the assertion's own last error after SAFETY_NET_MS (vitest's own timeout normally beats it).
 */
export async function eventually<T>(assertion: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + SAFETY_NET_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
