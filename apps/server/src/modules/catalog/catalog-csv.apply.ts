import type { RequestContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/tx.ts';
import type { CategoryRef, ProductIntent, RowPlan } from './catalog-csv.plan.ts';
import * as writes from './catalog.writes.ts';
import { maxActivePosition, POSITION_MAX, POSITION_STEP } from './categories.repo.ts';

/**
 * Writes the planned rows of one batch in the batch's transaction, through the same audited writes as the HTTP
 * API (so an imported price change is a `variant.price_changed` like any other). New products and new variants
 * are inserted set-based (one statement each per batch); ids are drawn in file order, so an export lists them in
 * the order of the file. Rows planned as errors are skipped: the caller gets here with them only when partial
 * imports are allowed.
 */
export async function applyBatch(tx: Tx, ctx: RequestContext, plans: readonly RowPlan[]): Promise<void> {
  // Categories this batch creates (rare: one per new name), so later rows of the batch reuse them. Each goes
  // after the last active category, in the order the file first names them (the products loop below walks the
  // rows in file order); the current last position is read once per batch, when the first one is needed.
  const categories = new Map<string, string>();
  let lastPosition: number | undefined;
  const categoryId = async (ref: CategoryRef | null | undefined): Promise<string | null> => {
    if (ref === undefined || ref === null) return null;
    if (ref.kind === 'existing') return ref.id;
    const made = categories.get(ref.key);
    if (made !== undefined) return made;
    lastPosition ??= (await maxActivePosition(tx)) ?? 0;
    lastPosition = Math.min(POSITION_MAX, lastPosition + POSITION_STEP);
    const row = await writes.createCategory(tx, ctx, { name: ref.name, position: lastPosition });
    categories.set(ref.key, row.id);
    return row.id;
  };

  // 1. Products: new ones in order of first appearance; category changes of existing ones.
  const newProducts = new Map<string, { name: string; description: null; categoryId: string | null }>();
  for (const plan of plans) {
    if (plan.kind !== 'create' && plan.kind !== 'update') continue;
    const { ref, category, recategorise }: ProductIntent = plan.product;
    if (ref.kind === 'new' && !newProducts.has(ref.name)) {
      newProducts.set(ref.name, { name: ref.name, description: null, categoryId: await categoryId(category) });
    } else if (ref.kind === 'existing' && recategorise) {
      await writes.updateProduct(tx, ctx, ref.product, { category_id: await categoryId(category) });
    }
  }
  const created = await writes.createProducts(tx, ctx, [...newProducts.values()]);
  const productIds = new Map(created.map((p) => [p.name, p.id]));
  const productIdOf = (intent: ProductIntent): string =>
    intent.ref.kind === 'existing' ? intent.ref.product.id : (productIds.get(intent.ref.name) as string);

  // 2. Variants: new ones together, then the changed ones.
  await writes.createVariants(
    tx,
    ctx,
    plans.flatMap((plan) =>
      plan.kind === 'create' ? [{ productId: productIdOf(plan.product), variant: plan.variant }] : [],
    ),
  );
  for (const plan of plans) {
    if (plan.kind === 'update') await writes.updateVariant(tx, ctx, plan.before, plan.changes);
  }
}
