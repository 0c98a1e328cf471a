import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { findTenant } from '../tenancy/index.ts';
import { exportCatalogCsv } from './catalog-csv.export.ts';
import { importCatalogCsv, type ImportOptions, type ImportReport } from './catalog-csv.import.ts';

// Imports and exports of files, for the CLI: a tenant id typed by a person is checked first.

async function assertTenantExists(db: Database, ctx: RequestContext): Promise<void> {
  // Row-level security shows a tenant transaction its own tenant row only: a tenant id that does not exist finds none.
  if ((await tenantTx(db, ctx, (tx) => findTenant(tx, ctx))) === undefined) {
    throw new AppError('tenant_not_found', `No tenant with the id ${ctx.tenantId ?? ''}`);
  }
}

/** Imports the CSV file at `file` into the context's tenant (see importCatalogCsv). */
export async function importCatalogFile(
  db: Database,
  ctx: RequestContext,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  await access(file);
  await assertTenantExists(db, ctx);
  return importCatalogCsv(db, ctx, () => createReadStream(file), options);
}

/** Writes the context's tenant's active catalog as CSV to `out`. */
export async function exportCatalogTo(db: Database, ctx: RequestContext, out: Writable): Promise<void> {
  await assertTenantExists(db, ctx);
  await pipeline(exportCatalogCsv(db, ctx), out);
}
