import type { App, AppDeps } from '../../platform/app-deps.ts';
import { catalogChangesRoutes } from './catalog-changes.ts';
import { catalogCsvRoutes } from './catalog-csv.routes.ts';
import { categoriesRoutes } from './categories.routes.ts';
import { productsRoutes } from './products.routes.ts';
import { variantsRoutes } from './variants.routes.ts';

/** /v1/categories, /v1/products (with search, barcode lookup, CSV import and export) and /v1/variants. */
export function catalogRoutes(app: App, deps: AppDeps): void {
  categoriesRoutes(app, deps);
  productsRoutes(app, deps);
  variantsRoutes(app, deps);
  catalogCsvRoutes(app, deps);
  catalogChangesRoutes(app, deps);
}
