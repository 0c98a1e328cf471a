import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startSimulator } from '../src/gateway-sim/simulator.ts';
import { seedShop, type SeedShop } from '../src/modules/orders/orders.fixtures.ts';
import { signDelivery } from '../src/modules/webhooks/webhooks.test-helpers.ts';
import { bearer, createTestApp, type TestApp } from './harness.ts';

/*
 * Schema-driven fuzzing of the whole API, from its own OpenAPI document: for every operation, fast-check makes
 * requests from the operation's schemas (path parameters, query string, JSON or CSV body) — mostly valid values,
 * so requests get past validation into the services and the database, mixed with hostile ones: control
 * characters, lone surrogates, right-to-left marks, 10,000-character strings, bytes that are not UTF-8, numbers at
 * and past their limits, the largest price times the largest quantity. Signed in as the owner of a real tenant
 * with a catalog, stock and orders. A run fails on any 5xx, on a status the operation does not document, and on a
 * body that does not match the documented schema for its status (Ajv, against the document itself).
 *
 * Deterministic: a fixed seed per operation (FUZZ_SEED to explore others, FUZZ_RUNS for more runs per operation).
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_250_512);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789abcdef';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let t: TestApp;
let gateway: FastifyInstance;
let shop: SeedShop;
let doc: OpenApi;
/** Real ids of the shop (its rows of every kind), and SKUs, so that generated requests find things. */
const known = { ids: [] as string[], safeIds: [] as string[], skus: ['SKU-SODA', 'SKU-WATER', 'SKU-GOLD'] };

beforeAll(async () => {
  // Card payments go to the processor simulator, in this process, so that payment routes run instead of 503.
  const sim = await startSimulator({ port: 0 });
  gateway = sim.app;
  t = await createTestApp({
    GATEWAY_URL: sim.url,
    DEFAULT_TAX_RATE_BPS: '800',
    WEBHOOK_ACTIVE_SECRET: WEBHOOK_SECRET,
    // Webhook endpoint URLs are not resolved in DNS while fuzzing.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  });
  shop = await seedShop(t, 'Fuzz Shop');
  const owner = bearer(shop.tokens.owner);
  const post = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url, headers: owner, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as Record<string, unknown>;
  };
  // The largest price: with the largest quantity, the total is past 2^53.
  const gold = await post('/v1/products', {
    name: 'Gold',
    variants: [{ sku: 'SKU-GOLD', price_cents: 100_000_000_000 }],
  });
  const category = await post('/v1/categories', { name: 'Fuzzed' });
  const location = await post('/v1/locations', { name: 'Spare' });
  const register = await post('/v1/registers', { location_id: location.id, name: 'Spare till' });
  const order = await t.app.inject({
    method: 'POST',
    url: '/v1/orders/sku',
    headers: bearer(shop.tokens.cashier),
    payload: {
      register_id: shop.registerId,
      items: [{ sku: 'SKU-SODA', quantity: 1 }],
      tenders: [{ method: 'cash', amount_cents: 1000 }],
    },
  });
  const parked = await t.app.inject({
    method: 'POST',
    url: '/v1/orders/sku',
    headers: bearer(shop.tokens.cashier),
    payload: { register_id: shop.registerId, items: [{ sku: 'SKU-WATER', quantity: 1 }] },
  });
  const hook = await post('/v1/webhook_endpoints', { url: 'https://example.com/hook', event_types: ['*'] });
  // Rows any request may touch, archive or delete; the owner, the shop's main location and register stay out of
  // the destructive operations' reach so that the shop keeps working.
  known.safeIds.push(
    gold.id as string,
    (gold.variants as { id: string }[])[0]!.id,
    category.id as string,
    location.id as string,
    register.id as string,
    hook.id as string,
    shop.userIds.cashier,
    shop.userIds.manager,
    shop.variants.soda,
    order.json().id as string,
    parked.json().id as string,
  );
  known.ids.push(...known.safeIds, shop.registerId, shop.locationId, shop.tenantId, shop.userIds.owner);
  doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
}, 120_000);
afterAll(async () => {
  await t.close();
  await gateway.close();
});

function resolve(schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
  return resolve(target);
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------------------------

/** Characters that break naive code: controls, lone surrogates, bidi controls, odd Unicode, SQL and HTML specials. */
const HOSTILE_CHARS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\u0301',
  '😀',
  'ß',
  'İ',
  "'",
  '"',
  '\\',
  '%',
  '_',
  '*',
  '<',
  '&',
  ' ',
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 8 }))
    .map(([a, c, b]) => `${a}${c}${b}`),
  fc.array(fc.constantFrom(...HOSTILE_CHARS), { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')),
  fc.constantFrom('x'.repeat(10_000), '😀'.repeat(5_000), '\u202e'.repeat(10_000), ' '.repeat(300), '', ' '),
  fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '${7*7}', 'null'),
);

/** Numbers at and past the limits, and numbers JSON and JavaScript treat oddly. */
function edgeNumbers(schema: Schema): number[] {
  const out = [0, -1, 1, 0.5, -0, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, -(2 ** 53), 1e308];
  for (const limit of [schema.minimum, schema.maximum]) {
    if (typeof limit === 'number') out.push(limit, limit - 1, limit + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Values from schemas
// ---------------------------------------------------------------------------------------------------------------

interface GenContext {
  /** Ids to use for uuid fields (destructive operations get only the spare rows). */
  readonly ids: readonly string[];
  /** The property the value is for, to pick known SKUs for `sku`. */
  readonly name?: string;
}

function valueOf(raw: Schema, ctx: GenContext): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((s) => valueOf(s, ctx)));
  if (schema.allOf !== undefined) return valueOf(Object.assign({}, ...schema.allOf.map(resolve)) as Schema, ctx);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((ty) => valueOf({ ...schema, type: ty }, ctx)));
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = Math.max(schema.minimum ?? -1e12, Number.MIN_SAFE_INTEGER);
      const max = Math.min(schema.maximum ?? 1e12, Number.MAX_SAFE_INTEGER);
      const inRange =
        type === 'integer' ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return fc.oneof(
        { weight: 6, arbitrary: inRange },
        { weight: 2, arbitrary: fc.constantFrom(min, max) },
        { weight: 1, arbitrary: fc.constantFrom(...edgeNumbers(schema)) },
      );
    }
    case 'string':
      return fc.oneof({ weight: 5, arbitrary: goodString(schema, ctx) }, { weight: 1, arbitrary: hostileString });
    case 'array': {
      const item = valueOf(schema.items ?? {}, ctx);
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 4, minLength + 3);
      const small = schema.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
      if (schema.uniqueItems || schema.maxItems === undefined) return small;
      // As many items as allowed, and one more: line counts at their limit.
      const full = item.chain((v) =>
        fc.constantFrom(schema.maxItems!, schema.maxItems! + 1).map((n) => new Array<unknown>(n).fill(v)),
      );
      return fc.oneof({ weight: 9, arbitrary: small }, { weight: 1, arbitrary: full });
    }
    case 'object':
    default: {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, valueOf(s, { ...ctx, name: k })])),
        { requiredKeys: required.filter((k) => k in properties) },
      );
      // Now and then a field the schema does not know.
      return fc.oneof(
        { weight: 9, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unexpected_field: 1 })) },
      );
    }
  }
}

function goodString(schema: Schema, ctx: GenContext): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
  if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ctx.ids), fc.uuid());
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
  if (ctx.name === 'sku') return fc.oneof(fc.constantFrom(...known.skus), fc.stringMatching(/^[A-Z0-9-]{1,20}$/));
  if (ctx.name === 'url') return fc.webUrl({ validSchemes: ['https'] });
  if (ctx.name === 'timezone' || ctx.name === 'time_zone') {
    return fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Mars/Olympus', 'utc');
  }
  const text = fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }),
  );
  // Our own text patterns are the text rule; other patterns describe their values exactly.
  if (schema.pattern !== undefined && !schema.pattern.startsWith('^(?:[^\\u0000')) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength);
    } catch {
      return text;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

/**
 * Text as a URL carries it: UTF-8, percent-encoded; a lone surrogate, which has no UTF-8 form, as the bytes a
 * careless encoder makes of it (WTF-8).
 */
function percentEncoded(text: string): string {
  return [...text]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0xd800 || c > 0xdfff) return encodeURIComponent(ch);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

/** Now and then, bytes that are not UTF-8 appended to a URL value. */
const notUtf8 = fc.oneof(
  { weight: 15, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('%FF', '%ED%A0%80', '%C3%28', '%', '%E2%82') },
);

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const CSV_COLUMNS = ['product_name', 'category', 'sku', 'variant_name', 'price_cents', 'tax_code', 'barcodes'];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A catalog CSV: a header of known columns, rows of text, SKUs, prices at their limits, now and then garbage. */
const csvBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: hostileString },
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), hostileString),
          fc.oneof(fc.constant(''), fc.string({ maxLength: 10 }), hostileString),
          fc.oneof(fc.stringMatching(/^[A-Z0-9-]{1,12}$/), hostileString),
          fc.oneof(fc.constant(''), hostileString),
          fc.oneof(fc.nat({ max: 100_000_000_000 }).map(String), fc.constantFrom('100000000001', '-1', '1.5', '1e3')),
          fc.constantFrom('', 'STD', 'EXEMPT', 'zero', 'BAD'),
          fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{8,13}$/), hostileString),
        ),
        { minLength: 0, maxLength: 4 },
      )
      .map((rows) => [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')),
  },
);

function requestOf(path: string, method: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  const destructive = method === 'delete' || /\/(archive|deactivate)$/.test(path);
  const ctx: GenContext = { ids: destructive ? known.safeIds : known.ids };
  const params = op.parameters ?? [];
  const paramArb = (p: Parameter) =>
    fc
      .tuple(valueOf(p.schema, { ...ctx, name: p.name }), notUtf8)
      .map(([v, raw]) => `${percentEncoded(String(v))}${raw}`);
  const pathParams = fc.record(
    Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, paramArb(p)])),
  );
  const queryParams = params.filter((p) => p.in === 'query');
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, paramArb(p)])), {
    requiredKeys: queryParams.filter((p) => p.required === true).map((p) => p.name),
  });
  const content = op.requestBody?.content ?? {};
  let body: fc.Arbitrary<{ type: string; payload: string } | undefined> = fc.constant(undefined);
  if (content['application/json'] !== undefined) {
    body = valueOf(content['application/json'].schema, ctx).map((v) => ({
      type: 'application/json',
      payload: JSON.stringify(v),
    }));
  } else if (path === '/v1/products/import') {
    body = csvBody.map((payload) => ({ type: 'text/csv', payload }));
  } else if (path === '/v1/webhooks/{provider}') {
    const event = fc.record(
      { type: fc.oneof(fc.constantFrom('payment.captured', 'refund.succeeded'), hostileString), id: hostileString },
      { requiredKeys: ['type'] },
    );
    const extra = fc.dictionary(
      fc.oneof(fc.string({ maxLength: 5 }), hostileString),
      fc.oneof(hostileString, fc.integer()),
      {
        maxKeys: 3,
      },
    );
    body = fc
      .tuple(event, extra)
      .map(([e, x]) => ({ type: 'application/json', payload: JSON.stringify({ ...x, ...e }) }));
  }
  return fc.record({ pathValues: pathParams, queryValues: query, body }).map(({ pathValues, queryValues, body: b }) => {
    const url =
      path.replace(/\{(\w+)\}/g, (_, name: string) => (pathValues as Record<string, string>)[name] ?? '') +
      (Object.keys(queryValues).length === 0
        ? ''
        : `?${Object.entries(queryValues as Record<string, string>)
            .map(([k, v]) => `${k}=${v}`)
            .join('&')}`);
    const headers: Record<string, string> = path.startsWith('/v1/webhooks/{') ? {} : bearer(shop.tokens.owner);
    if (b !== undefined) {
      headers['content-type'] = b.type;
      if (path === '/v1/webhooks/{provider}') Object.assign(headers, signDelivery(WEBHOOK_SECRET, b.payload));
    }
    return { method: method.toUpperCase(), url, headers, ...(b === undefined ? {} : { payload: b.payload }) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>();

function validatorFor(pointer: string): ValidateFunction {
  let v = validators.get(pointer);
  if (v === undefined) {
    v = ajv.compile({ $ref: `openapi.json#${pointer}` });
    validators.set(pointer, v);
  }
  return v;
}

function escapePointer(part: string): string {
  return part.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Problems any route may answer before it runs, whatever it documents (docs/api.md "Errors every endpoint may
 * answer"): the router's 414 for a path parameter past 200 characters.
 */
const ANY_ROUTE_CODES = new Set(['uri_too_long']);

/**
 * Gaps of the API document that issue 12 §7 closes (its helper declares error responses as problem+json and the
 * receipt's 200): known here so that this test checks everything else meanwhile. Remove them once the document
 * states them.
 */
const KNOWN_DOC_GAPS: Record<string, (status: number, mediaType: string) => boolean> = {
  'get /v1/orders/{id}/receipt': (status, mediaType) =>
    status === 200 || (status >= 400 && mediaType === 'application/problem+json'),
};

/** Why a response breaks the operation's contract, or undefined when it keeps it. */
function breach(
  path: string,
  method: string,
  op: Operation,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
): string | undefined {
  const documented = op.responses[String(res.statusCode)];
  // 503 is the documented answer of a route whose service is off or down (no backup made yet); any other 5xx is a
  // bug.
  if (res.statusCode >= 500 && !(res.statusCode === 503 && documented !== undefined)) {
    return `${res.statusCode}: ${res.body.slice(0, 300)}`;
  }
  const mediaType = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  if (KNOWN_DOC_GAPS[`${method} ${path}`]?.(res.statusCode, mediaType) === true) return undefined;
  if (ANY_ROUTE_CODES.has(String(res.headers['x-error-code']))) {
    return validatorFor('/components/schemas/Problem')(JSON.parse(res.body)) ? undefined : `bad problem: ${res.body}`;
  }
  if (documented === undefined) {
    return `undocumented status ${res.statusCode} (${String(res.headers['x-error-code'])}): ${res.body.slice(0, 200)}`;
  }
  const contents = documented.content ?? {};
  if (Object.keys(contents).length === 0) {
    return res.body === '' ? undefined : `status ${res.statusCode} is documented without a body, got one`;
  }
  // A problem is declared as application/json or application/problem+json; it is the same schema.
  const declared =
    contents[mediaType] !== undefined
      ? mediaType
      : mediaType === 'application/problem+json' && contents['application/json'] !== undefined
        ? 'application/json'
        : undefined;
  if (declared === undefined)
    return `${res.statusCode} answered ${mediaType}, documented ${Object.keys(contents).join(', ')}`;
  if (!declared.endsWith('json')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `${res.statusCode} ${mediaType} is not JSON: ${res.body.slice(0, 200)}`;
  }
  const pointer = `/paths/${escapePointer(path)}/${method}/responses/${res.statusCode}/content/${escapePointer(declared)}/schema`;
  const validate = validatorFor(pointer);
  if (validate(body)) return undefined;
  return `${res.statusCode} body does not match its schema: ${ajv.errorsText(validate.errors)}: ${res.body.slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------------------------------

function seedOf(key: string): number {
  let h = SEED;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

describe('fuzzing every operation of the API document', () => {
  it('answers every request with a documented status and body, never a 5xx', async () => {
    ajv.addSchema(doc as unknown as Record<string, unknown>, 'openapi.json');
    const failures: string[] = [];
    const ops: [string, string, Operation][] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) ops.push([path, method, op]);
    }
    // The document itself is not an operation worth fuzzing; /docs serves HTML.
    expect(ops.length).toBeGreaterThanOrEqual(90);
    const started = performance.now();
    let requests = 0;
    const times: [string, number][] = [];
    for (const [path, method, op] of ops) {
      const opStarted = performance.now();
      const result = await fc.check(
        fc.asyncProperty(requestOf(path, method, op), async (req) => {
          requests++;
          const res = await t.app.inject({
            method: req.method as 'GET',
            url: req.url,
            headers: req.headers,
            ...(req.payload === undefined ? {} : { payload: req.payload }),
          });
          const why = breach(path, method, op, res);
          if (why !== undefined) throw new Error(why);
        }),
        { seed: seedOf(`${method} ${path}`), numRuns: RUNS, endOnFailure: true },
      );
      times.push([`${method.toUpperCase()} ${path}`, performance.now() - opStarted]);
      if (result.failed) {
        const example = result.counterexample?.[0];
        failures.push(
          `${method.toUpperCase()} ${path}: ${(result.errorInstance as Error | undefined)?.message ?? 'failed'}\n` +
            `  request: ${JSON.stringify(example).slice(0, 600)}`,
        );
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    // eslint-disable-next-line no-console -- the coverage figures belong in the test's output
    const slowest = times
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
    console.info(
      `fuzz: ${ops.length} operations, ${RUNS} runs each, ${requests} requests in ${seconds} s; slowest: ${slowest.join(', ')}`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
