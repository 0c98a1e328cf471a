import pg from 'pg';

/**
 * The channel migration 0011's triggers notify, with a tenant id as payload, whenever data that prices a sale
 * changes: variants, products, tax-rate overrides, the tenant's money settings, registers and locations.
 */
export const PRICING_CHANNEL = 'novapos_pricing';

/** Told which tenant's data changed; `'*'` when changes may have been missed (the listener reconnected). */
export type ChangeListener = (tenantId: string) => void;

/**
 * Tells in-process caches that a tenant's pricing data changed, from PostgreSQL's LISTEN/NOTIFY:
 *
 * - every pooled connection listens (its first transaction sends LISTEN along with BEGIN, so it costs no round
 *   trip; tx.ts), so a transaction's own change is announced on its connection before its COMMIT returns: a
 *   process always reads its own writes (PostgreSQL delivers a session's own notifications at commit, ahead of
 *   the commit's answer);
 * - one connection of its own hears other processes' changes (other servers, workers, the CLI), a moment after
 *   they commit. While it is not connected, `live` is false and caches must not answer from memory; when it
 *   reconnects, everything cached is dropped, since changes may have been missed meanwhile.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private readonly listeningClients = new WeakSet<pg.ClientBase>();
  private client: pg.Client | undefined;
  private live = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  /** True while changes from other processes are being heard. */
  get isLive(): boolean {
    return this.live;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The statement that makes a pooled connection listen, to send inside its next transaction ('' once it does).
   * LISTEN takes effect when that transaction commits: the caller reports it with `listening`.
   */
  listenStatement(client: pg.ClientBase): string {
    return this.listeningClients.has(client) ? '' : `LISTEN ${PRICING_CHANNEL}`;
  }

  /** A connection's transaction that carried `listenStatement` committed: its notifications now reach the feed. */
  listening(client: pg.ClientBase): void {
    if (this.listeningClients.has(client)) return;
    this.listeningClients.add(client);
    client.on('notification', (n) => {
      this.announce(n.payload);
    });
  }

  /** Opens the feed's own listening connection, reconnecting with back-off until `stop`. */
  listen(connectionString: string, onError?: (err: Error) => void): void {
    this.stopped = false;
    const connect = async (attempt: number): Promise<void> => {
      const client = new pg.Client({ connectionString, application_name: 'novapos-change-feed' });
      const lost = (err?: Error): void => {
        if (this.client !== client) return;
        this.client = undefined;
        this.live = false;
        client.end().catch(() => undefined);
        if (err !== undefined) onError?.(err);
        this.schedule(() => connect(attempt + 1), attempt);
      };
      client.on('error', lost);
      client.on('end', () => lost());
      client.on('notification', (n) => {
        this.announce(n.payload);
      });
      this.client = client;
      try {
        await client.connect();
        await client.query(`LISTEN ${PRICING_CHANNEL}`);
        if (this.stopped || this.client !== client) {
          await client.end();
          return;
        }
        // Whatever changed while nobody listened is unknown: forget everything, then trust the feed again.
        this.announce('*');
        this.live = true;
        attempt = 0;
      } catch (err) {
        lost(err as Error);
      }
    };
    void connect(0);
  }

  private schedule(fn: () => Promise<void>, attempt: number): void {
    if (this.stopped) return;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
    this.retry = setTimeout(() => void fn(), delay);
    this.retry.unref();
  }

  private announce(payload: string | undefined): void {
    if (payload === undefined || payload === '') return;
    for (const listener of this.listeners) listener(payload);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
