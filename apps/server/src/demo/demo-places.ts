import type { RequestContext } from '../platform/context.ts';
import type { Database } from '../platform/db/database.ts';
import { tenantTx } from '../platform/db/tx.ts';
import { createLocation, createRegister, updateLocation } from '../modules/tenancy/index.ts';
import * as repo from './demo.repo.ts';

/** A location of the demo shop and its tills. */
export interface DemoPlace {
  readonly id: string;
  readonly name: string;
  readonly registers: readonly { readonly id: string; readonly name: string }[];
}

const STREETS = ['Station Road', 'Market Square', 'Riverside', 'Park Lane', 'Mill Street'];

/** A made-up address for a demo store: the street in its name, or the first of STREETS. */
function demoAddress(name: string): string[] {
  const street = name.split(' — ')[1] ?? STREETS[0] ?? 'High Street';
  return [`${12 + street.length} ${street}`.slice(0, 42), 'Springfield'];
}

/** The first candidate nobody uses yet (case-insensitive, archived names count, as the unique indexes say). */
function freeName(candidates: readonly string[], taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  const name = candidates.find((c) => !used.has(c.toLowerCase()));
  if (name === undefined) throw new Error(`every demo name is taken: ${candidates.join(', ')}`);
  return name;
}

/**
 * Makes sure the tenant has `count` active locations with `tills` active registers each, adding what is missing
 * through the tenancy use cases (so each is audited like one added by hand): a new location is named after the
 * tenant and a street ("Demo Store — Station Road"), a new register "Till N". Returns the first `count` active
 * locations (oldest first), each with its first `tills` registers.
 */
export async function ensurePlaces(
  db: Database,
  ctx: RequestContext,
  tenantName: string,
  count: number,
  tills: number,
): Promise<DemoPlace[]> {
  const before = await tenantTx(db, ctx, (tx) => repo.locations(tx));
  // A store without an address gets one on its receipts, from the street in its name ("Demo Store — High Street").
  for (const l of before.active.slice(0, count)) {
    if (l.address_lines.length === 0) await updateLocation(db, ctx, l.id, { address_lines: demoAddress(l.name) });
  }
  const places = before.active.slice(0, count).map((l) => ({ id: l.id, name: l.name }));
  const taken = [...before.names];
  while (places.length < count) {
    const name = freeName(
      STREETS.map((s) => `${tenantName} — ${s}`),
      taken,
    );
    const created = await createLocation(db, ctx, { name, address_lines: demoAddress(name) });
    taken.push(created.name);
    places.push({ id: created.id, name: created.name });
  }

  const regs = await tenantTx(db, ctx, (tx) => repo.registers(tx));
  const result: DemoPlace[] = [];
  for (const place of places) {
    const registers = regs.active.filter((r) => r.location_id === place.id).slice(0, tills);
    const names = regs.all.filter((r) => r.location_id === place.id).map((r) => r.name);
    while (registers.length < tills) {
      const name = freeName(
        Array.from({ length: tills + names.length }, (_, i) => `Till ${i + 1}`),
        names,
      );
      const created = await createRegister(db, ctx, { location_id: place.id, name });
      names.push(created.name);
      registers.push({ id: created.id, name: created.name, location_id: place.id });
    }
    result.push({ ...place, registers: registers.map((r) => ({ id: r.id, name: r.name })) });
  }
  return result;
}
