import type { CreatedProduct, OpeningStock } from '../../api/catalog.ts';

/** The opening-stock fields of one variant: the text typed per location id. */
export type OpeningDraft = Readonly<Record<string, string>>;

/**
 * The opening stock a variant's fields ask for: one entry per location with a whole number above 0 (an empty field
 * or 0 asks for none); `error` names the first field that is not a whole number of units.
 */
export function openingStockOf(
  draft: OpeningDraft,
  locationName: (id: string) => string,
): { opening: OpeningStock } | { error: string } {
  const opening: { location_id: string; quantity: number }[] = [];
  for (const [locationId, text] of Object.entries(draft)) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (!/^\d{1,7}$/.test(trimmed) || Number(trimmed) > 1_000_000) {
      return { error: `Opening stock at ${locationName(locationId)}: type a whole number of units (up to 1,000,000)` };
    }
    const quantity = Number(trimmed);
    if (quantity > 0) opening.push({ location_id: locationId, quantity });
  }
  return { opening };
}

/**
 * What the back office says once a product is created, from what the server answered: where it is in stock, or
 * that it has none — and then whether the tills will sell it (the shop's stock policy), so no one is told a product
 * "can be sold" that every till will refuse.
 */
export function createdMessage(created: Pick<CreatedProduct, 'variants' | 'opening_stock' | 'stock_policy'>): string {
  const byLocation = new Map<string, number>();
  for (const s of created.opening_stock) {
    byLocation.set(s.location_name, (byLocation.get(s.location_name) ?? 0) + s.on_hand);
  }
  const stocked = new Set(created.opening_stock.filter((s) => s.on_hand > 0).map((s) => s.variant_id));
  const unstocked = created.variants.filter((v) => !stocked.has(v.id));
  const parts = ['Product created.'];
  if (byLocation.size > 0) {
    parts.push(`In stock at ${[...byLocation].map(([name, units]) => `${name}: ${units}`).join('; at ')}.`);
  }
  if (unstocked.length > 0) {
    const which =
      stocked.size === 0 ? 'No stock yet' : `No stock yet of ${unstocked.map((v) => v.name ?? v.sku).join(', ')}`;
    parts.push(
      created.stock_policy === 'block'
        ? `${which}: the tills will refuse it while the shop blocks sales beyond stock — add stock or change the policy.`
        : `${which}: the tills sell it anyway, and its stock goes below zero (the shop allows that).`,
    );
  } else {
    parts.push('It can be sold at the tills now.');
  }
  return parts.join(' ');
}
