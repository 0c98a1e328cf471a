// What other modules (and the CLI) may use of the catalog. Routes are registered by app.ts from catalog.routes.ts.
export { resolveSaleItems, type SaleItem, type SaleItemRef } from './sale-items.ts';
export { importCatalogCsv, type ImportCounts, type ImportOptions, type ImportReport } from './catalog-csv.import.ts';
export { exportCatalogCsv } from './catalog-csv.export.ts';
export { exportCatalogTo, importCatalogFile } from './catalog-csv.files.ts';
export type { RowError } from './catalog-csv.rows.ts';
