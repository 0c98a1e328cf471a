import type { EventEmitter } from 'node:events';

/** What one pass of a loop achieved. */
export interface PassResult {
  /** More is waiting (a full batch moved): run again at once. */
  readonly more: boolean;
  /** The pass could not work (a broker or the database is down): back off before the next. */
  readonly failed: boolean;
}

export interface PollLoopOptions {
  /** One pass: claim what is due (FOR UPDATE SKIP LOCKED) and handle it. Must not throw. */
  readonly pass: () => Promise<PassResult>;
  /** How long an idle loop waits for a wake-up before looking again (work written by other processes). */
  readonly pollMs: number;
  /** Back-off after a failed pass: doubles from min to max; wake-ups do not cut it short. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Emits `wake` when this process committed new work (a hint; the loop also polls). */
  readonly signal?: EventEmitter;
}

/**
 * The skeleton of a loop that claims rows and backs off, for background work that is not a job on the queue (the
 * outbox relay: one ordered stream, measured faster as a loop, docs/jobs.md). It runs `pass` until stopped: again
 * at once while work remains, after `pollMs` (or a wake-up) when idle, and after a doubling back-off when a pass
 * failed, so an outage is not hammered.
 */
export class PollLoop {
  private readonly o: PollLoopOptions;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;
  private interrupt: (() => void) | undefined;
  private sleepingForWake = false;
  private readonly onWake = (): void => {
    this.wake();
  };

  constructor(options: PollLoopOptions) {
    this.o = options;
  }

  /** True between start() and stop(). */
  get active(): boolean {
    return this.running !== undefined;
  }

  start(): void {
    if (this.running !== undefined) return;
    this.stopped = false;
    this.o.signal?.on('wake', this.onWake);
    this.running = this.loop();
  }

  /** Stops the loop and waits for the pass in flight. */
  async stop(): Promise<void> {
    if (this.running === undefined) return;
    this.stopped = true;
    this.o.signal?.off('wake', this.onWake);
    this.interrupt?.();
    await this.running;
    this.running = undefined;
  }

  /** Asks for a pass now (new work was committed); a back-off after a failure is not cut short. */
  wake(): void {
    this.wakeRequested = true;
    if (this.sleepingForWake) this.interrupt?.();
  }

  private async loop(): Promise<void> {
    let backoff = this.o.minBackoffMs;
    while (!this.stopped) {
      this.wakeRequested = false;
      const result = await this.o.pass();
      if (this.isStopped()) break;
      if (result.failed) {
        await this.sleep(backoff, false);
        backoff = Math.min(backoff * 2, this.o.maxBackoffMs);
      } else {
        backoff = this.o.minBackoffMs;
        if (!result.more) await this.sleep(this.o.pollMs, true);
      }
    }
  }

  // A method, not a field read: the compiler would otherwise assume it cannot change across an await.
  private isStopped(): boolean {
    return this.stopped;
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interrupt = undefined;
        this.sleepingForWake = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      this.sleepingForWake = wakeable;
    });
  }
}
