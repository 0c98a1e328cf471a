import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { renewLeases, type KeyClaim } from './idempotency.repo.ts';

/**
 * Keeps the leases of this process's running claims alive: ONE timer per process renews all of them in one
 * statement, every third of the lease, and only while there are claims (an idle server writes nothing).
 *
 * Why one per process and not a timer per claim: under load (the moment requests run long) a timer per claim
 * would write one row per running request per tick, each through the app pool those requests are waiting for;
 * one statement per tick renews a hundred claims for the price of one, on the owner's small pool (a process's
 * claims span tenants), so a saturated app pool cannot starve the renewals and let a live request's key be taken
 * over. What a process lease cannot tell: a process that is alive but stuck (its event loop blocked longer than
 * the lease) loses its keys as if it had died; the request that takes over runs again, which orders survive by
 * their client id (docs/api.md "Idempotency").
 */
export class LeaseKeeper {
  private readonly held = new Map<string, KeyClaim>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  private readonly db: Database;
  private readonly leaseSeconds: number;
  private readonly log: Pick<Logger, 'warn'>;

  constructor(db: Database, leaseSeconds: number, log: Pick<Logger, 'warn'>) {
    this.db = db;
    this.leaseSeconds = leaseSeconds;
    this.log = log;
  }

  /** Starts renewing this claim's lease (the claim took it for `leaseSeconds` already). */
  hold(claim: KeyClaim): void {
    this.held.set(claim.holder, claim);
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.renew(), (this.leaseSeconds * 1000) / 3);
    // The keeper never keeps a process alive: a process on its way out has no request left to hold a key for.
    this.timer.unref();
  }

  /** Stops renewing it (its response is stored or its key released). */
  drop(holder: string): void {
    this.held.delete(holder);
    if (this.held.size === 0) this.stop();
  }

  /** How many claims this process holds now (tests, metrics). */
  get size(): number {
    return this.held.size;
  }

  /** One renewal of every held claim; a renewal still running makes the tick a no-op. */
  renew(): Promise<void> {
    this.renewing ??= this.renewAll().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  close(): void {
    this.held.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renewAll(): Promise<void> {
    const claims = [...this.held.values()];
    if (claims.length === 0) return;
    let kept: Set<string>;
    try {
      kept = await renewLeases(this.db.system, claims, this.leaseSeconds);
    } catch (err) {
      // The database is unreachable: the next tick tries again; if it stays away past the lease, the requests
      // that hold the keys fail too (5xx releases a key), and a takeover is what a dead database calls for.
      this.log.warn({ err, claims: claims.length }, 'idempotency leases not renewed');
      return;
    }
    for (const claim of claims) {
      if (kept.has(claim.holder) || !this.held.has(claim.holder)) continue;
      // Finished between the read and the renewal, or taken over: either way nothing more to renew.
      this.held.delete(claim.holder);
    }
    if (this.held.size === 0) this.stop();
  }
}
