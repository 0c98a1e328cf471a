import type { Queryable } from '../../platform/db/database.ts';

/** A register with its location, as the till shows them. */
export interface TillRegisterRow {
  readonly register_id: string;
  readonly register_name: string;
  readonly location_id: string;
  readonly location_name: string;
  readonly time_zone: string;
  readonly business_name: string;
  readonly address_lines: string[];
  readonly receipt_footer_lines: string[];
  readonly archived: boolean;
}

export async function findTillRegister(tx: Queryable, registerId: string): Promise<TillRegisterRow | undefined> {
  const { rows } = await tx.query<TillRegisterRow>(
    `SELECT r.id AS register_id, r.name AS register_name, l.id AS location_id, l.name AS location_name,
            l.timezone AS time_zone, t.name AS business_name,
            l.address_lines, t.receipt_footer_lines,
            (r.archived_at IS NOT NULL OR l.archived_at IS NOT NULL) AS archived
       FROM registers r JOIN locations l ON l.id = r.location_id JOIN tenants t ON t.id = r.tenant_id
      WHERE r.id = $1`,
    [registerId],
  );
  return rows[0];
}
