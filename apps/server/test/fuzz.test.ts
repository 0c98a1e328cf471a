import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startSimulator } from '../src/gateway-sim/simulator.ts';
import { seedShop, type SeedShop } from '../src/modules/orders/orders.fixtures.ts';
import { signDelivery } from '../src/modules/webhooks/webhooks.test-helpers.ts';
import { bearer, createTestApp, type TestApp } from './harness.ts';
import { percentEncoded } from './url-encoding.ts';

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
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Operations that take no input at all (no parameter, no body) need few runs. */
const RUNS_WITHOUT_INPUT = 3;
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
/**
 * Real rows of the shop by kind, so that generated requests find things: `spare` ones any request may archive or
 * delete, `kept` ones (the owner, the main location and register) that only other requests use, so that the shop
 * keeps working.
 */
const known = {
  spare: {} as Record<string, string[]>,
  kept: {} as Record<string, string[]>,
  skus: ['SKU-SODA', 'SKU-WATER', 'SKU-GOLD'],
};

/** The kind of row a path segment (`/v1/locations/{id}`) or a field (`location_id`, `location_ids`) names. */
function kindOf(name: string): string {
  const singular: Record<string, string> = { categories: 'category', ids: 'category', actor: 'user' };
  const base = name.replace(/_ids?$/, '');
  return singular[base] ?? base.replace(/s$/, '');
}

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
    return res.json<Record<string, unknown>>();
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
  const intent = await post('/v1/payment_intents', { amount_cents: 500, currency: 'USD' });
  known.spare = {
    product: [gold.id as string],
    variant: [(gold.variants as { id: string }[])[0]!.id, shop.variants.soda],
    category: [category.id as string],
    location: [location.id as string],
    register: [register.id as string],
    webhook_endpoint: [hook.id as string],
    user: [shop.userIds.cashier, shop.userIds.manager],
    order: [order.json().id as string, parked.json().id as string],
    payment_intent: [intent.id as string],
  };
  known.kept = {
    location: [shop.locationId],
    register: [shop.registerId],
    user: [shop.userIds.owner],
    tenant: [shop.tenantId],
  };
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

/** The characters that failed before: NUL, lone surrogates, other controls; the others are the rest of the list. */
const WORST_CHARS = ['\u0000', '\u0000', '\uD800', '\uDFFF', '\u001b', '\u0085', '\u007f', '\n'];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...WORST_CHARS), fc.string({ maxLength: 8 }))
      .map(([a, c, b]) => `${a}${c}${b}`),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 8 }))
      .map(([a, c, b]) => `${a}${c}${b}`),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(...HOSTILE_CHARS), { minLength: 1, maxLength: 6 }).map((cs) => cs.join('')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('x'.repeat(10_000), '😀'.repeat(5_000), '\u202e'.repeat(10_000), ' '.repeat(300), ''),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '${7*7}', ' '),
  },
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
  /** Destructive operations (archive, deactivate, delete) get only the spare rows' ids. */
  readonly destructive: boolean;
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
        { weight: 5, arbitrary: inRange },
        { weight: 3, arbitrary: fc.constantFrom(min, max) },
        { weight: 1, arbitrary: fc.constantFrom(...edgeNumbers(schema)) },
      );
    }
    case 'string':
      return goodString(schema, ctx);
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
  if (schema.format === 'uuid') {
    const kind = kindOf(ctx.name ?? '');
    const pool = [...(known.spare[kind] ?? []), ...(ctx.destructive ? [] : (known.kept[kind] ?? []))];
    const any = Object.values(known.spare).flat();
    return pool.length > 0
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() })
      : fc.oneof(fc.constantFrom(...any), fc.uuid());
  }
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

/** What a request is made of, before it is encoded: values as the schemas describe them. */
interface RequestParts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

type Leaf = { parent: Record<string | number, unknown>; key: string | number; value: unknown; shape: string };

/**
 * Every string and number in a value, with where it sits, so that one of them can be replaced; `shape` is its
 * path with array positions left out (`body.items[].sku`), the same for every item of a list.
 */
function leaves(root: unknown): Leaf[] {
  const out: Leaf[] = [];
  const walk = (value: unknown, shape: string) => {
    if (typeof value !== 'object' || value === null) return;
    const list = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const at = list ? `${shape}[]` : `${shape}.${key}`;
      if (typeof child === 'string' || typeof child === 'number') {
        out.push({ parent: value as Record<string, unknown>, key: list ? Number(key) : key, value: child, shape: at });
      } else walk(child, at);
    }
  };
  walk(root, '');
  return out;
}

/**
 * Most runs send the request built from the schemas with one value, anywhere in it (path, query or body), replaced
 * by a hostile one: a string by a hostile string, a number by one at or past its limits. The rest of the request
 * stays valid, so the bad value travels as far as it can.
 */
function mutated(parts: fc.Arbitrary<RequestParts>): fc.Arbitrary<RequestParts> {
  return fc
    .tuple(parts, fc.integer({ min: 0, max: 9 }), fc.nat(), hostileString, fc.constantFrom(...edgeNumbers({})))
    .map(([p, roll, pick, text, number]) => {
      if (roll < 3) return p;
      const copy = structuredClone(p);
      const all = leaves(copy);
      const strings = all.filter((l) => typeof l.value === 'string');
      const numbers = all.filter((l) => typeof l.value === 'number');
      const useNumber = roll === 9 || strings.length === 0;
      const from = useNumber ? numbers : strings;
      const leaf = from[pick % Math.max(from.length, 1)];
      if (leaf !== undefined) leaf.parent[leaf.key] = useNumber ? number : text;
      return copy;
    });
}

/** Requests of an operation as values (path, query, body), built from its schemas, before any hostile change. */
function partsOf(path: string, method: string, op: Operation): fc.Arbitrary<RequestParts> {
  const destructive = method === 'delete' || /\/(archive|deactivate)$/.test(path);
  const ctx: GenContext = { destructive };
  const params = op.parameters ?? [];
  const paramsIn = (where: 'path' | 'query') => {
    const list = params.filter((p) => p.in === where);
    // A path's `{id}` is a row of the kind its path names (`/v1/locations/{id}`).
    const nameOf = (p: Parameter) => (p.name === 'id' ? /(\w+)\/\{id\}/.exec(path)?.[1] : undefined) ?? p.name;
    return fc.record(Object.fromEntries(list.map((p) => [p.name, valueOf(p.schema, { ...ctx, name: nameOf(p) })])), {
      requiredKeys: list.filter((p) => p.in === 'path' || p.required === true).map((p) => p.name),
    });
  };
  const content = op.requestBody?.content ?? {};
  let body: fc.Arbitrary<unknown> = fc.constant(undefined);
  if (content['application/json'] !== undefined) {
    body = valueOf(content['application/json'].schema, ctx);
  } else if (path === '/v1/products/import') {
    body = csvBody;
  } else if (path === '/v1/webhooks/{provider}') {
    const event = fc.record(
      { type: fc.constantFrom('payment.captured', 'refund.succeeded', 'unknown.event'), id: fc.string() },
      { requiredKeys: ['type'] },
    );
    body = fc
      .tuple(event, fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }))
      .map(([e, x]) => ({ ...x, ...e }));
  }
  return fc.record({ path: paramsIn('path'), query: paramsIn('query'), body });
}

/** The HTTP request of some parts; `noise` (bytes that are not UTF-8) is appended to the path or query value `noisy`. */
function toRequest(path: string, method: string, p: RequestParts, noisy?: string, noise = ''): FuzzRequest {
  const encode = (name: string, v: unknown) => `${percentEncoded(String(v))}${name === noisy ? noise : ''}`;
  const query = Object.entries(p.query).map(([k, v]) => `${k}=${encode(k, v)}`);
  const url =
    path.replace(/\{(\w+)\}/g, (_, name: string) => encode(name, p.path[name])) +
    (query.length === 0 ? '' : `?${query.join('&')}`);
  const headers: Record<string, string> = path.startsWith('/v1/webhooks/{') ? {} : bearer(shop.tokens.owner);
  if (p.body === undefined) return { method: method.toUpperCase(), url, headers };
  const csv = path === '/v1/products/import';
  const payload = csv && typeof p.body === 'string' ? p.body : JSON.stringify(p.body);
  headers['content-type'] = csv ? 'text/csv' : 'application/json';
  if (path === '/v1/webhooks/{provider}') Object.assign(headers, signDelivery(WEBHOOK_SECRET, payload));
  return { method: method.toUpperCase(), url, headers, payload };
}

/** Random requests: mostly with one hostile value, now and then with bytes that are not UTF-8 in the URL. */
function requestOf(path: string, method: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(mutated(partsOf(path, method, op)), notUtf8, fc.nat()).map(([p, noise, pick]) => {
    const names = [...Object.keys(p.path), ...Object.keys(p.query)];
    return toRequest(path, method, p, noise === '' ? undefined : names[pick % Math.max(names.length, 1)], noise);
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

/** Why a response breaks the operation's contract, or undefined when it keeps it. */
function breach(
  path: string,
  method: string,
  op: Operation,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
): string | undefined {
  // A status the operation lists, else its range (`4XX`, `5XX`: the problems every operation may answer).
  const statusKey = [String(res.statusCode), `${String(res.statusCode).charAt(0)}XX`].find(
    (key) => op.responses[key] !== undefined,
  );
  const documented = statusKey === undefined ? undefined : op.responses[statusKey];
  // 503 is the documented answer of a route whose service is off or down (no backup made yet); any other 5xx is a
  // bug.
  if (res.statusCode >= 500 && !(res.statusCode === 503 && op.responses['503'] !== undefined)) {
    return `${res.statusCode}: ${res.body.slice(0, 300)}`;
  }
  const contentType = res.headers['content-type'];
  const mediaType = (typeof contentType === 'string' ? contentType : '').split(';')[0]!.trim();
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
  const declared = contents[mediaType] !== undefined ? mediaType : undefined;
  if (declared === undefined)
    return `${res.statusCode} answered ${mediaType}, documented ${Object.keys(contents).join(', ')}`;
  if (!declared.endsWith('json')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return `${res.statusCode} ${mediaType} is not JSON: ${res.body.slice(0, 200)}`;
  }
  const pointer = `/paths/${escapePointer(path)}/${method}/responses/${statusKey ?? ''}/content/${escapePointer(declared)}/schema`;
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

function send(req: FuzzRequest) {
  return t.app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.payload === undefined ? {} : { payload: req.payload }),
  });
}

/** The values every text field and text parameter must refuse (docs/api.md "Text and numbers"). */
const REFUSED_TEXT = ['a\u0000b', 'a\uD800b', 'a\u001bb', 'a\u0085b'];

/**
 * Where such text is answered 2xx by design: a catalog import reports bad cells as row errors (200, nothing
 * written), and a processor's webhook is stored as it was sent (NUL and lone surrogates make it malformed: 400).
 */
const MAY_ACCEPT_REFUSED_TEXT = new Set(['/v1/products/import', '/v1/webhooks/{provider}']);

/**
 * Every text value of one accepted request of the operation (the first of a few generated ones that gets a 2xx;
 * else the last), replaced in turn by each of REFUSED_TEXT: each variant must be refused with a 4xx that keeps the
 * operation's contract. Returns the breaches and the number of requests sent.
 */
async function sweepText(path: string, method: string, op: Operation): Promise<{ failures: string[]; sent: number }> {
  const failures: string[] = [];
  const candidates = fc.sample(partsOf(path, method, op), { seed: seedOf(`sweep ${method} ${path}`), numRuns: 8 });
  let base = candidates[0]!;
  let sent = 0;
  for (const parts of candidates) {
    base = parts;
    sent++;
    const res = await send(toRequest(path, method, parts));
    if (res.statusCode < 300) break;
  }
  // One value of each shape: the first item of a list stands for the others.
  const seen = new Set<string>();
  const targets = leaves(base).flatMap((leaf, i) => {
    if (typeof leaf.value !== 'string' || seen.has(leaf.shape)) return [];
    seen.add(leaf.shape);
    return [i];
  });
  for (const i of targets) {
    for (const bad of REFUSED_TEXT) {
      const variant = structuredClone(base);
      const leaf = leaves(variant)[i]!;
      leaf.parent[leaf.key] = bad;
      const req = toRequest(path, method, variant);
      sent++;
      const res = await send(req);
      const why =
        breach(path, method, op, res) ??
        (res.statusCode < 400 && !MAY_ACCEPT_REFUSED_TEXT.has(path) ? `${res.statusCode}: accepted` : undefined);
      if (why !== undefined) {
        failures.push(
          `${method.toUpperCase()} ${path} with ${JSON.stringify(bad)} in ${leaf.shape}: ${why}\n` +
            `  request: ${JSON.stringify(req).slice(0, 400)}`,
        );
      }
    }
  }
  return { failures, sent };
}

describe('fuzzing every operation of the API document', () => {
  it('answers every request with a documented status and body, never a 5xx', async () => {
    ajv.addSchema(doc, 'openapi.json');
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
      const swept = await sweepText(path, method, op);
      requests += swept.sent;
      failures.push(...swept.failures);
      const result = await fc.check(
        fc.asyncProperty(requestOf(path, method, op), async (req) => {
          requests++;
          const res = await send(req);
          const why = breach(path, method, op, res);
          if (why !== undefined) throw new Error(why);
        }),
        {
          seed: seedOf(`${method} ${path}`),
          numRuns: (op.parameters ?? []).length > 0 || op.requestBody !== undefined ? RUNS : RUNS_WITHOUT_INPUT,
          endOnFailure: true,
        },
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
    const slowest = times
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`);
    // eslint-disable-next-line no-console -- the coverage figures belong in the test's output
    console.info(
      `fuzz: ${ops.length} operations, ${RUNS} runs each (${RUNS_WITHOUT_INPUT} without input), ${requests} requests ` +
        `in ${seconds} s; slowest: ${slowest.join(', ')}`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
