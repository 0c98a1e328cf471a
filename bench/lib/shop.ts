import pg from 'pg';

/** What the benchmarks sell with: an owner token, registers at one location, and well-stocked SKUs. */
export interface BenchShop {
  readonly url: string;
  readonly ownerUrl: string;
  readonly tenantId: string;
  readonly token: string;
  readonly locationId: string;
  readonly registerIds: readonly string[];
  readonly skus: readonly string[];
}

async function api<T>(
  url: string,
  method: string,
  route: string,
  token: string | undefined,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${url}${route}`, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Signs in as the owner; the benchmarks send `register_id` with each sale. */
export async function ownerToken(url: string, email: string, password: string): Promise<string> {
  const res = await api<{ access_token: string }>(url, 'POST', '/v1/auth/login', undefined, { email, password });
  return res.access_token;
}

/**
 * Prepares the shop through the API: `registers` new registers at the tenant's first location, and 1,000,000
 * more units of `skuCount` active SKUs there (a receipt, so the ledger holds it), so no sale runs short.
 */
export async function prepareShop(
  url: string,
  ownerUrl: string,
  tenantId: string,
  token: string,
  registers: number,
  skuCount: number,
): Promise<BenchShop> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  let locationId: string;
  let skus: string[];
  try {
    const loc = await db.query<{ id: string }>(
      'SELECT id FROM locations WHERE tenant_id = $1 AND archived_at IS NULL ORDER BY id LIMIT 1',
      [tenantId],
    );
    locationId = loc.rows[0]?.id ?? '';
    const found = await db.query<{ sku: string }>(
      `SELECT v.sku FROM product_variants v JOIN products p ON p.id = v.product_id
        WHERE v.tenant_id = $1 AND v.archived_at IS NULL AND p.archived_at IS NULL ORDER BY v.sku LIMIT $2`,
      [tenantId, skuCount],
    );
    skus = found.rows.map((r) => r.sku);
  } finally {
    await db.end();
  }
  if (locationId === '' || skus.length < skuCount) throw new Error('the tenant has no location or too few products');
  await api(url, 'POST', '/v1/inventory/adjustments', token, {
    location_id: locationId,
    lines: skus.map((sku) => ({ sku, delta: 1_000_000, reason: 'receipt', note: 'benchmark stock' })),
  });
  const registerIds: string[] = [];
  for (let i = 1; i <= registers; i++) {
    const reg = await api<{ id: string }>(url, 'POST', '/v1/registers', token, {
      location_id: locationId,
      name: `Bench till ${i} ${Date.now()}`,
    });
    registerIds.push(reg.id);
  }
  return { url, ownerUrl, tenantId, token, locationId, registerIds, skus };
}

/** The priced total of a cart, from POST /v1/orders/compute, so each sale's cash tender covers it exactly. */
export async function computeTotal(
  shop: BenchShop,
  items: readonly { sku: string; quantity: number }[],
): Promise<number> {
  const res = await api<{ total_cents: number }>(shop.url, 'POST', '/v1/orders/compute', shop.token, {
    items,
    register_id: shop.registerIds[0],
  });
  return res.total_cents;
}
