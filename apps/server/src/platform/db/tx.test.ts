import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { systemContext } from '../context.ts';
import { inlineParams, tenantStatement } from './tx.ts';

let database: TestDatabase;
const ctx = systemContext(randomUUID());

beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(() => database.close());

// Strings an attacker would try against client-side binding: quotes, backslashes, statement breaks, comments.
const NASTY = ["it's", "a'; DROP TABLE orders; --", 'back\\slash\\', "\\'; SELECT 1; --", '$1 $$ $tag$', 'ünïcødé ✓'];

describe('tenantStatement (one statement, one round trip, parameters bound on the client)', () => {
  it('reads back every value exactly as it was given', async () => {
    for (const value of NASTY) {
      const { rows } = await tenantStatement<{ v: string }>(database.db, ctx, 'SELECT $1::text AS v', [value]);
      expect(rows).toEqual([{ v: value }]);
    }
    const { rows } = await tenantStatement<{ n: number; b: boolean; j: unknown; z: null }>(
      database.db,
      ctx,
      'SELECT $1::int AS n, $2::boolean AS b, $3::jsonb AS j, $4::text AS z',
      [42, true, { a: ["x'y", 1] }, null],
    );
    expect(rows).toEqual([{ n: 42, b: true, j: { a: ["x'y", 1] }, z: null }]);
  });

  it('runs in the tenant of the context', async () => {
    const { rows } = await tenantStatement<{ t: string }>(
      database.db,
      ctx,
      'SELECT app_current_tenant()::text AS t',
      [],
    );
    expect(rows[0]?.t).toBe(ctx.tenantId);
  });

  it('rolls back and frees the connection when the statement fails', async () => {
    await expect(tenantStatement(database.db, ctx, 'SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/);
    const { rows } = await tenantStatement<{ ok: number }>(database.db, ctx, 'SELECT 1 AS ok', []);
    expect(rows).toEqual([{ ok: 1 }]);
    expect(database.db.app.waitingCount).toBe(0);
  });

  it('refuses what it cannot bind safely', () => {
    expect(() => inlineParams('SELECT $1', [Number.NaN])).toThrow(TypeError);
    expect(() => inlineParams('SELECT $1', [new Date()])).toThrow(TypeError);
    expect(() => inlineParams('SELECT $2', ['only one'])).toThrow(RangeError);
    expect(inlineParams('SELECT $1, $10', ['a', 2, 3, 4, 5, 6, 7, 8, 9, "o'k"])).toBe("SELECT 'a', 'o''k'");
  });
});
