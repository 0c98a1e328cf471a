import { api, ok } from './client.ts';
import type { BodyOf, ItemOf, QueryOf, ResultOf } from './types.ts';

export type Product = ItemOf<'/v1/products'>;
export type Variant = Product['variants'][number];
export type Category = ItemOf<'/v1/categories'>;
export type NewCategory = BodyOf<'/v1/categories', 'post'>;
export type CategoryChange = BodyOf<'/v1/categories/{id}', 'patch'>;
export type NewProduct = BodyOf<'/v1/products', 'post'>;
/** A product just created, with the stock it starts with and the shop's stock policy. */
export type CreatedProduct = ResultOf<'/v1/products', 'post'>;
export type OpeningStock = NonNullable<NewProduct['variants'][number]['opening_stock']>;
export type NewVariant = BodyOf<'/v1/products/{id}/variants', 'post'>;
export type ProductChange = BodyOf<'/v1/products/{id}', 'patch'>;
export type VariantChange = BodyOf<'/v1/variants/{id}', 'patch'>;

export function listProducts(query: QueryOf<'/v1/products'>): Promise<ResultOf<'/v1/products'>> {
  return ok(api.GET('/v1/products', { params: { query } }));
}

export function getProduct(id: string): Promise<Product> {
  return ok(api.GET('/v1/products/{id}', { params: { path: { id } } }));
}

export function createProduct(body: NewProduct): Promise<CreatedProduct> {
  return ok(api.POST('/v1/products', { body }));
}

export function updateProduct(id: string, body: ProductChange): Promise<Product> {
  return ok(api.PATCH('/v1/products/{id}', { params: { path: { id } }, body }));
}

export function archiveProduct(id: string): Promise<Product> {
  return ok(api.POST('/v1/products/{id}/archive', { params: { path: { id } } }));
}

export function addVariant(productId: string, body: NewVariant): Promise<Variant> {
  return ok(api.POST('/v1/products/{id}/variants', { params: { path: { id: productId } }, body }));
}

export function updateVariant(id: string, body: VariantChange): Promise<Variant> {
  return ok(api.PATCH('/v1/variants/{id}', { params: { path: { id } }, body }));
}

export function archiveVariant(id: string): Promise<Variant> {
  return ok(api.POST('/v1/variants/{id}/archive', { params: { path: { id } } }));
}

export function listCategories(): Promise<ResultOf<'/v1/categories'>> {
  return ok(api.GET('/v1/categories', { params: { query: { limit: 200 } } }));
}

/** Every category in display order, page after page (a shop has tens, not thousands). */
export async function listAllCategories(includeArchived: boolean): Promise<Category[]> {
  const all: Category[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      api.GET('/v1/categories', { params: { query: { limit: 200, include_archived: includeArchived, cursor } } }),
    );
    all.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

export function createCategory(name: string, position?: number): Promise<Category> {
  return ok(api.POST('/v1/categories', { body: position === undefined ? { name } : { name, position } }));
}

export function updateCategory(id: string, body: CategoryChange): Promise<Category> {
  return ok(api.PATCH('/v1/categories/{id}', { params: { path: { id } }, body }));
}

/** Sets the order of every active category at once (one transaction on the server; positions 10, 20, 30…). */
export function reorderCategories(ids: string[]): Promise<Category[]> {
  return ok(api.PUT('/v1/categories/order', { body: { ids } })).then((r) => r.data);
}

export function archiveCategory(id: string): Promise<Category> {
  return ok(api.POST('/v1/categories/{id}/archive', { params: { path: { id } } }));
}

/** The active catalog as CSV (the format the import reads), as a file to save. */
export async function exportCatalog(): Promise<Blob> {
  const result = await api.GET('/v1/products/export', { parseAs: 'blob' });
  return ok<Blob>(Promise.resolve(result));
}
