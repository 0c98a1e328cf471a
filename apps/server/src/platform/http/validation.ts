import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const COMMON: Options = {
  // Unknown fields are an error, not silently dropped; one error at a time bounds validation work (no DoS by
  // a body full of mistakes); defaults from the schema fill missing optional values.
  removeAdditional: false,
  allErrors: false,
  useDefaults: true,
  addUsedSchema: false,
  // TypeBox adds its own bookkeeping keys to schemas; they are not validation keywords.
  strict: false,
};

/**
 * One validator per part of the request. Query strings, path parameters and headers arrive as text, so their
 * values are coerced to the schema's types ("?limit=5" → 5). A JSON body is typed already and is never coerced:
 * `"pin": ""` must be refused, not turned into null, and a number must not quietly become a string.
 */
export function registerValidation(app: FastifyInstance): void {
  const body = new Ajv({ ...COMMON, coerceTypes: false });
  const text = new Ajv({ ...COMMON, coerceTypes: 'array' });
  addFormats.default(body);
  addFormats.default(text);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}

/** Stands for a query value whose bytes are not UTF-8: a lone surrogate, which no string schema accepts. */
const NOT_UTF8 = '\uD800';

function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return NOT_UTF8;
  }
}

/**
 * The query string parser (Fastify's `querystringParser`): `a=1&a=2&b` → `{a: ['1', '2'], b: ''}`, `+` is a space,
 * as Fastify's own. One difference: a value whose percent-encoded bytes are not UTF-8 (`%FF`, or `%ED%A0%80`, the
 * bytes of a lone surrogate) is not kept as its raw text, which would pass for ordinary characters; it becomes a
 * string with a lone surrogate, which every string schema refuses (docs/api.md "Text and numbers"), so the answer
 * is a 400 naming the parameter.
 */
export function parseQueryString(query: string): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
    const current = result[key];
    if (current === undefined) result[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else result[key] = [current, value];
  }
  return result;
}
