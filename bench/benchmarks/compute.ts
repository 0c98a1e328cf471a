import path from 'node:path';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { spawnServer } from '../lib/server.ts';
import type { BenchShop } from '../lib/shop.ts';
import { round } from '../lib/stats.ts';

/** POST /v1/orders/compute (5 lines) against a bare Fastify route validating the same body, same run. */
export interface ComputeResult {
  readonly connections: number;
  readonly novapos: Omit<LoadResult, 'createdIds' | 'unansweredIds'>;
  readonly bareFastify: Omit<LoadResult, 'createdIds' | 'unansweredIds'>;
  /** NovaPOS req/s ÷ bare Fastify req/s (goal ≥ 0.8). */
  readonly ratio: number;
}

/** Runs the compute load against the NovaPOS server, then against a bare Fastify process. */
export async function benchCompute(
  shop: BenchShop,
  connections: number,
  warmupSeconds: number,
  seconds: number,
): Promise<ComputeResult> {
  const bodies = [0, 1, 2, 3].map((k) => ({
    register_id: shop.registerIds[0],
    items: [0, 1, 2, 3, 4].map((j) => ({ sku: shop.skus[(k + j) % shop.skus.length] ?? '', quantity: 1 + j })),
  }));
  const common = { kind: 'compute' as const, path: '/v1/orders/compute', connections, warmupSeconds, seconds, bodies };
  const {
    createdIds: _a,
    unansweredIds: _ua,
    ...novapos
  } = await runLoad({ ...common, url: shop.url, token: shop.token, registerIds: [] });
  const bare = await spawnServer(
    [path.join(import.meta.dirname, '../lib/bare-server.ts')],
    process.env,
    /listening at (http:\/\/\S+)/,
  );
  try {
    const {
      createdIds: _b,
      unansweredIds: _ub,
      ...bareFastify
    } = await runLoad({ ...common, url: bare.url, registerIds: [] });
    return { connections, novapos, bareFastify, ratio: round(novapos.okPerSecond / bareFastify.okPerSecond, 3) };
  } finally {
    await bare.stop();
  }
}
