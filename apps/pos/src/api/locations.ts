import { api, ok } from './api.ts';
import type { ManagerGrant } from './auth.ts';

/** A location with its active registers: what a manager picks from when setting up a till. */
export interface Place {
  readonly id: string;
  readonly name: string;
  readonly registers: { id: string; name: string }[];
}

/** The tenant's active locations that have an active register, with those registers (a manager's token). */
export async function activePlaces(grant: ManagerGrant): Promise<Place[]> {
  const { headers } = grant;
  const [locations, registers] = await Promise.all([
    ok(api.GET('/v1/locations', { headers, params: { query: { limit: 100 } } })),
    ok(api.GET('/v1/registers', { headers, params: { query: { limit: 100 } } })),
  ]);
  return locations.data
    .filter((l) => l.archived_at === null)
    .map((l) => ({
      id: l.id,
      name: l.name,
      registers: registers.data.filter((r) => r.location_id === l.id && r.archived_at === null),
    }))
    .filter((p) => p.registers.length > 0);
}
