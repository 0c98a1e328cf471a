import type { paths } from '@novapos/api-client';

/** Types read off the generated OpenAPI paths, so no API shape is ever written twice. */
type Op<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;

/** The JSON body a call sends. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query string a call takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The JSON a call answers with on success (200 or 201). */
export type ResultOf<P extends keyof paths, M extends keyof paths[P] = 'get' & keyof paths[P]> =
  Op<P, M> extends { responses: infer R }
    ? R extends { 200: { content: { 'application/json': infer J } } }
      ? J
      : R extends { 201: { content: { 'application/json': infer J } } }
        ? J
        : never
    : never;

/** One row of a paginated list. */
export type ItemOf<P extends keyof paths> = ResultOf<P> extends { data: (infer T)[] } ? T : never;
