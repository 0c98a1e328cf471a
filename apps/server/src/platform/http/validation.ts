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
