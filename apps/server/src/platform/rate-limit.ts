import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from './errors.ts';

/** A fixed-window limit on attempts per key (a client address, a register). */
export interface RateLimiter {
  /** Counts one attempt; throws 429 `rate_limited` with Retry-After when the key is over its limit. */
  consume(key: string): Promise<void>;
  /** Which store is counting: `redis`, or `memory` when Redis is not configured. */
  readonly store: 'redis' | 'memory';
}

export interface RateLimiterOptions {
  readonly keyPrefix: string;
  readonly points: number;
  readonly durationSeconds: number;
  /** When set, counts are shared by every server through Redis; memory takes over while Redis is down. */
  readonly redis?: Redis | undefined;
}

/**
 * rate-limiter-flexible with Redis as the shared store and an in-memory "insurance" limiter that counts while
 * Redis is unreachable, so a Redis outage neither blocks sign-in nor switches the limit off.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const memory = new RateLimiterMemory({
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  });
  const limiter: RateLimiterAbstract =
    options.redis === undefined
      ? memory
      : new RateLimiterRedis({
          storeClient: options.redis,
          useRedisPackage: false,
          keyPrefix: `novapos:${options.keyPrefix}`,
          points: options.points,
          duration: options.durationSeconds,
          insuranceLimiter: memory,
        });
  return {
    store: options.redis === undefined ? 'memory' : 'redis',
    async consume(key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
          throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, {
            headers: { 'Retry-After': String(retryAfter) },
            extra: { retry_after_seconds: retryAfter },
          });
        }
        throw err;
      }
    },
  };
}
