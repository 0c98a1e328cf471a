import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { AppError } from '../../platform/errors.ts';
import { problems } from '../../platform/http/schemas.ts';
import { exportCatalogCsv } from './catalog-csv.export.ts';
import type { ImportReport } from './catalog-csv.import.ts';
import { importCatalogUpload } from './catalog-csv.upload.ts';
import { CATALOG_READERS, CATALOG_WRITERS } from './categories.routes.ts';

const TAGS = ['catalog'];

const ImportQuery = Type.Object(
  {
    dry_run: Type.Optional(Type.Boolean({ default: false, description: 'Validate and count; write nothing' })),
    allow_partial: Type.Optional(
      Type.Boolean({ default: false, description: 'Write the good rows even when some rows have errors' }),
    ),
  },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });
const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(),
  written: Type.Boolean({ description: 'Whether anything was written' }),
  counts: Type.Object({
    rows: Count,
    created: Count,
    updated: Count,
    unchanged: Count,
    errors: Type.Integer({ minimum: 0, description: 'Rows with at least one error' }),
    products_created: Count,
    categories_created: Count,
  }),
  errors: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'Row of the file; the header is row 1' }),
      field: Type.String(),
      message: Type.String(),
    }),
  ),
  errors_truncated: Type.Boolean(),
});

/** Typed loosely on purpose: the body is a stream, which the route's typed reply (a string) would refuse. */
const EXPORT_RESPONSES: Record<number, unknown> = {
  200: {
    description: 'The catalog as CSV (columns as for the import)',
    content: { 'text/csv': { schema: Type.String() } },
  },
  ...problems(401, 403),
};

/** Without allow_partial, row errors in a real import are bad input: a 400 that carries the whole report. */
function refused(report: ImportReport): AppError {
  return new AppError(
    'validation_failed',
    `${report.counts.errors} row(s) have errors; nothing was written (fix them, or send allow_partial=true)`,
    {
      errors: report.errors.map((e) => ({ field: `rows[${e.row}].${e.field}`, message: e.message })),
      extra: { report },
    },
  );
}

/** POST /v1/products/import (text/csv in, JSON report out) and GET /v1/products/export (text/csv out). */
export function catalogCsvRoutes(app: App, deps: AppDeps): void {
  // text/csv is accepted by this route alone: the app refuses every body but JSON elsewhere. The parser hands the
  // raw stream on; the service spools it with its own limit, MAX_IMPORT_BYTES (Fastify's bodyLimit binds only the
  // bodies Fastify buffers itself).
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('text/csv', (_request, payload, done) => {
      done(null, payload);
    });
    scope.post(
      '/v1/products/import',
      {
        config: { access: CATALOG_WRITERS },
        schema: {
          tags: TAGS,
          operationId: 'importCatalog',
          summary: 'Import products and variants from CSV (one row per variant); dry_run reports without writing',
          description:
            'Body: text/csv, at most 20 MiB, columns product_name, category, sku, variant_name, price_cents, ' +
            'tax_code, barcodes (see docs/catalog.md). With any row error nothing is written unless allow_partial.',
          consumes: ['text/csv'],
          querystring: ImportQuery,
          response: { 200: ImportReportSchema, ...problems(400, 401, 403, 409, 413, 415) },
        },
      },
      async (request) => {
        const declared = request.headers['content-length'];
        const options = { dryRun: request.query.dry_run ?? false, allowPartial: request.query.allow_partial ?? false };
        const length = declared === undefined ? undefined : Number(declared);
        const report = await importCatalogUpload(deps.db, request.ctx, request.body, length, options);
        if (!options.dryRun && !options.allowPartial && report.counts.errors > 0) throw refused(report);
        return report;
      },
    );
  });

  app.get(
    '/v1/products/export',
    {
      config: { access: CATALOG_READERS },
      schema: {
        tags: TAGS,
        operationId: 'exportCatalog',
        summary: 'The active catalog as CSV, in the import format',
        response: EXPORT_RESPONSES,
      },
    },
    (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="catalog.csv"')
        .send(exportCatalogCsv(deps.db, request.ctx)),
  );
}
