import { api, ok } from './client.ts';
import type { ItemOf, QueryOf, ResultOf } from './types.ts';

export type AuditEvent = ItemOf<'/v1/audit/events'>;
export type AuditQuery = QueryOf<'/v1/audit/events'>;
export type Verification = ResultOf<'/v1/audit/verify'>;

export function listEvents(query: AuditQuery): Promise<ResultOf<'/v1/audit/events'>> {
  return ok(api.GET('/v1/audit/events', { params: { query } }));
}

export function verifyChain(): Promise<Verification> {
  return ok(api.GET('/v1/audit/verify'));
}
