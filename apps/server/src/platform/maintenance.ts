import type pg from 'pg';

/** Maintenance mode as every server sees it: stored in platform_settings, re-read every few seconds. */
export interface MaintenanceStatus {
  readonly enabled: boolean;
  readonly message: string | null;
  readonly since: string | null;
}

const OFF: MaintenanceStatus = { enabled: false, message: null, since: null };

/**
 * The cached maintenance status. Reading it costs nothing on the request path; `refresh()` runs on a timer and
 * right after this server changes it, so other servers follow within `refreshMs`.
 */
export class MaintenanceState {
  private status: MaintenanceStatus = OFF;
  private timer: NodeJS.Timeout | undefined;
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  get current(): MaintenanceStatus {
    return this.status;
  }

  async refresh(): Promise<MaintenanceStatus> {
    const { rows } = await this.pool.query<{ value: MaintenanceStatus }>(
      `SELECT value FROM platform_settings WHERE key = 'maintenance'`,
    );
    this.status = rows[0]?.value ?? OFF;
    return this.status;
  }

  /** Keeps the cache fresh; a failed read keeps the last known status. */
  start(refreshMs = 2000): void {
    this.timer ??= setInterval(() => {
      this.refresh().catch(() => undefined);
    }, refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
