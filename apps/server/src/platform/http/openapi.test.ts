import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { OPENAPI_TAGS } from './openapi.ts';

// The document's conventions (docs/api.md). Redocly's lint (`npm run lint:openapi`, CI) checks the document's form;
// these check what it says against what the server does.

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Doc {
  tags: Array<{ name: string; description?: string }>;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
}

let t: TestApp;
let doc: Doc;
let operations: Array<{ method: string; path: string; op: Operation }>;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<Doc>();
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});
afterAll(() => t.close());

/** The operations nobody needs a token for: a new one must be added here on purpose. */
const PUBLIC_OPERATIONS = [
  'checkAlive',
  'checkLiveness',
  'getHealth',
  'checkReadiness',
  'getDatabaseHealth',
  'getRedisHealth',
  'getMetrics',
  'getBackupHealth',
  'getSigningKeys',
  'login',
  'pinLogin',
  'refreshTokens',
  'logout',
  'getPlatformStatus',
  'receiveProcessorWebhook',
];

/** The routes marked `config.idempotent`. */
const IDEMPOTENT_OPERATIONS = [
  'createLocation',
  'createRegister',
  'createUser',
  'createCategory',
  'createProduct',
  'addVariant',
  'adjustStock',
  'createOrderBySku',
  'createOrder',
  'payOrder',
  'voidOrder',
  'createPaymentIntent',
  'confirmPaymentIntent',
  'capturePaymentIntent',
  'voidPaymentIntent',
  'refundPaymentIntent',
  // Replay of sales taken offline (docs/pos.md "Replay").
  'registerDevice',
  'cancelOfflineSale',
  'writeOffOfflineGap',
];

describe('the OpenAPI document', () => {
  it('names, summarises and tags every operation once, with tags in the order /docs shows them', () => {
    expect(operations.length).toBeGreaterThan(90);
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const declared = doc.tags.map((tag) => tag.name);
    expect(declared).toEqual(OPENAPI_TAGS.map((tag) => tag.name));
    expect(declared[0]).toBe('auth');
    expect(declared.at(-1)).toBe('ops');
    expect(doc.tags.every((tag) => (tag.description ?? '').length > 0)).toBe(true);
    for (const { op } of operations) {
      expect(op.summary?.length, op.operationId).toBeGreaterThan(0);
      expect(op.tags?.length, op.operationId).toBe(1);
      expect(declared, op.operationId).toContain(op.tags?.[0]);
    }
    expect(doc.servers.length).toBe(1);
  });

  it('derives security from the declared access: the public operations have none, the others the bearer JWT', () => {
    const byId = new Map(operations.map((o) => [o.op.operationId, o.op]));
    for (const { op } of operations) {
      const expected = PUBLIC_OPERATIONS.includes(op.operationId ?? '') ? [] : [{ bearer: [] }];
      expect(op.security, op.operationId).toEqual(expected);
    }
    for (const id of PUBLIC_OPERATIONS) expect(byId.has(id), id).toBe(true);
  });

  it('refuses a route that writes its security by hand instead of declaring its access', async () => {
    const app = await buildApp(t.deps);
    expect(() =>
      app.get('/v1/hand-written', { config: { access: 'public' }, schema: { security: [] } }, async () => ({})),
    ).toThrow(/declare config.access, not schema.security/);
    await app.close();
  });

  it('answers every bearer operation without a token with 401, as its security says', async () => {
    for (const { method, path, op } of operations) {
      if (op.security?.length === 0) continue;
      const url = path.replace(/\{[^}]+\}/g, '01900000-0000-7000-8000-000000000000');
      const res = await t.app.inject({ method: method as 'GET', url });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
    }
  });

  it('documents Idempotency-Key on exactly the idempotent routes', () => {
    const documented = operations
      .filter(({ op }) => (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map(({ op }) => op.operationId);
    expect(documented.sort()).toEqual([...IDEMPOTENT_OPERATIONS].sort());
  });

  it('declares every error response as application/problem+json with the Problem schema', () => {
    for (const { op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        // The health reports answer 503 with their own report, as a probe expects.
        if (status === '503' && response.content?.['application/json'] !== undefined) continue;
        expect(Object.keys(response.content ?? {}), `${op.operationId} ${status}`).toEqual([
          'application/problem+json',
        ]);
        // A sale's 409 is the Problem with the replay diff a refused offline sale carries (docs/pos.md "Replay").
        const sale = op.operationId === 'createOrder' || op.operationId === 'createOrderBySku';
        const schema = sale && status === '409' ? 'ReplayConflictProblem' : 'Problem';
        expect(response.content?.['application/problem+json']?.schema?.$ref).toBe(`#/components/schemas/${schema}`);
      }
      expect(op.responses['4XX'], op.operationId).toBeDefined();
      expect(op.responses['5XX'], op.operationId).toBeDefined();
    }
  });

  it("documents the receipt's 200 in its three formats", () => {
    const receipt = doc.paths['/v1/orders/{id}/receipt']?.get;
    expect(Object.keys(receipt?.responses['200']?.content ?? {}).sort()).toEqual([
      'application/octet-stream',
      'text/html',
      'text/plain',
    ]);
  });
});
