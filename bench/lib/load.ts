import { spawn } from 'node:child_process';
import path from 'node:path';

/** What the load process is asked to do. */
export interface LoadSpec {
  readonly kind: 'checkout' | 'compute';
  readonly url: string;
  readonly path: string;
  readonly token?: string;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** Request bodies used in rotation; checkout bodies get a fresh `id` and a `register_id` per request. */
  readonly bodies: readonly Record<string, unknown>[];
  readonly registerIds: readonly string[];
}

/** What the load process measured (latencies in ms, client side). */
export interface LoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly okPerSecond: number;
  readonly statuses: Record<string, number>;
  readonly warmupStatuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Client ids answered 201 (warm-up included): the verification looks each one up. */
  readonly createdIds: readonly string[];
  /**
   * Ids sent whose answer never arrived because the phase's time ran out (at most one per connection per phase):
   * the server may have completed them, so the verification accepts them as orders but never counts them as sales.
   */
  readonly unansweredIds: readonly string[];
}

/** Runs the load generator in a separate Node process and returns its measurement. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const worker = path.join(import.meta.dirname, 'load-worker.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`load worker exited with ${String(code)}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim()) as LoadResult);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}
