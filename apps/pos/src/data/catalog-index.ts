import type { TillCategory, TillItem } from '../api/api.ts';

/**
 * The catalog in memory, indexed for the till's hot paths: a barcode or SKU is one Map lookup (a scan must put
 * its line on screen within a frame), and search-as-you-type is one pass over pre-lowercased names.
 */
export class CatalogIndex {
  private readonly items = new Map<string, TillItem>();
  private readonly byCode = new Map<string, TillItem>();
  private readonly categories = new Map<string, TillCategory>();
  private haystack: { item: TillItem; text: string }[] | undefined;

  get size(): number {
    return this.items.size;
  }

  /** Applies items from the delta feed: archived ones leave, the rest are upserted. */
  apply(items: readonly TillItem[], categories: readonly TillCategory[] = []): void {
    for (const item of items) {
      const old = this.items.get(item.variant_id);
      if (old !== undefined) {
        for (const code of old.barcodes) this.byCode.delete(code);
        this.byCode.delete(old.sku.toLowerCase());
      }
      if (item.archived) {
        this.items.delete(item.variant_id);
        continue;
      }
      this.items.set(item.variant_id, item);
      this.byCode.set(item.sku.toLowerCase(), item);
      for (const code of item.barcodes) this.byCode.set(code, item);
    }
    for (const c of categories) {
      if (c.archived) this.categories.delete(c.id);
      else this.categories.set(c.id, c);
    }
    this.haystack = undefined;
  }

  /** The item a scanned barcode (or a typed SKU) names, if any. */
  lookup(code: string): TillItem | undefined {
    return this.byCode.get(code) ?? this.byCode.get(code.toLowerCase());
  }

  get(variantId: string): TillItem | undefined {
    return this.items.get(variantId);
  }

  categoryList(): TillCategory[] {
    return [...this.categories.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  }

  inCategory(categoryId: string | null, limit = 60): TillItem[] {
    const out: TillItem[] = [];
    for (const item of this.items.values()) {
      if (categoryId === null || item.category_id === categoryId) out.push(item);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit);
  }

  /** Every word of the query must appear in the name or SKU (a barcode matches exactly); names starting with it first. */
  search(query: string, limit = 24): TillItem[] {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const exact = this.lookup(q);
    this.haystack ??= [...this.items.values()].map((item) => ({
      item,
      text: `${item.name} ${item.sku}`.toLowerCase(),
    }));
    const words = q.split(/\s+/);
    const hits: { item: TillItem; rank: number }[] = [];
    for (const { item, text } of this.haystack) {
      if (item === exact) continue;
      if (words.every((w) => text.includes(w))) hits.push({ item, rank: text.startsWith(q) ? 0 : 1 });
    }
    hits.sort((a, b) => a.rank - b.rank || a.item.name.localeCompare(b.item.name));
    const found = hits.slice(0, limit).map((h) => h.item);
    return exact === undefined ? found : [exact, ...found.slice(0, limit - 1)];
  }
}
