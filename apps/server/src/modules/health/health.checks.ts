import type { HealthCheck, HealthStatus } from '../../platform/health-check.ts';

export type { HealthCheck, HealthStatus } from '../../platform/health-check.ts';

/**
 * A health report in the NestJS Terminus shape the seeds use: `info` holds the dependencies that are up, `error`
 * those that are down, `details` all of them; `status` is `ok` only when `error` is empty.
 */
export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly info: Record<string, HealthStatus>;
  readonly error: Record<string, HealthStatus>;
  readonly details: Record<string, HealthStatus>;
}

/**
 * The longest any one check may take, whatever its own timeout says: seed 002 (docs/sources.md) gives /health 5 s in total, and
 * the checks run in parallel, so one guard per check keeps the whole answer under it.
 */
export const CHECK_GUARD_MS = 4500;

/**
 * Runs one check so that it always answers: a check that throws, returns something odd or hangs past `guardMs`
 * is reported down instead of failing (or stalling) the whole report.
 */
export async function runGuarded(check: HealthCheck, guardMs: number = CHECK_GUARD_MS): Promise<HealthStatus> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<HealthStatus>((resolve) => {
    timer = setTimeout(() => {
      resolve({ status: 'down', message: `no answer within ${guardMs} ms` });
    }, guardMs);
  });
  try {
    const result: unknown = await Promise.race([check(), late]);
    if (typeof result !== 'object' || result === null) return { status: 'down', message: 'the check gave no status' };
    const status = (result as { status?: unknown }).status;
    return status === 'up' || status === 'down'
      ? (result as HealthStatus)
      : { ...result, status: 'down', message: 'the check gave no status' };
  } catch (err) {
    return { status: 'down', message: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Sorts named results into the Terminus sections. */
export function toReport(results: readonly (readonly [string, HealthStatus])[]): HealthReport {
  const info: Record<string, HealthStatus> = {};
  const error: Record<string, HealthStatus> = {};
  const details: Record<string, HealthStatus> = {};
  for (const [name, result] of results) {
    details[name] = result;
    if (result.status === 'up') info[name] = result;
    else error[name] = result;
  }
  return { status: Object.keys(error).length === 0 ? 'ok' : 'error', info, error, details };
}

/** Runs every check in parallel, each under the guard, and reports them together. */
export async function runChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  guardMs: number = CHECK_GUARD_MS,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (name) => {
      const check = checks[name] ?? missingCheck(name);
      return [name, await runGuarded(check, guardMs)] as const;
    }),
  );
  return toReport(results);
}

/** Stands in for a check that should exist and does not (a wiring mistake must show, not pass as healthy). */
export function missingCheck(name: string): HealthCheck {
  return async () => ({ status: 'down', message: `no ${name} check is configured` });
}
