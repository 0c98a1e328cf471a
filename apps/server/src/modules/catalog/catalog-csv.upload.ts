import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { importCatalogCsv, type ImportOptions, type ImportReport } from './catalog-csv.import.ts';

/** The largest CSV upload: 20 MiB, some 200,000 variants. Larger catalogs go through the CLI. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

function tooLarge(): AppError {
  // The rest of the upload is not read: close the connection after answering instead of draining it.
  return new AppError('payload_too_large', `The CSV is larger than ${MAX_IMPORT_BYTES} bytes; use the CLI`, {
    headers: { connection: 'close' },
  });
}

/** Copies the upload to a private temporary file, refusing it once it passes the limit. */
async function spool(body: Readable, file: string, limit: number): Promise<void> {
  let bytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? tooLarge() : null, chunk);
    },
  });
  const onError = (err: Error): void => {
    limiter.destroy(err);
  };
  const onClose = (): void => {
    if (!body.readableEnded) limiter.destroy(new Error('The upload was cut off'));
  };
  body.once('error', onError);
  body.once('close', onClose);
  // pipe, not pipeline, from the request: a refused upload must leave the request (its socket) alive for the 413.
  body.pipe(limiter);
  try {
    await pipeline(limiter, createWriteStream(file, { mode: 0o600 }));
  } finally {
    body.unpipe(limiter);
    body.off('error', onError);
    body.off('close', onClose);
  }
}

/**
 * Imports an uploaded CSV body. A real import reads the file twice (validate, then write), and a request body
 * can be read only once, so the upload is first streamed to a temporary file (bounded by MAX_IMPORT_BYTES), never
 * held in memory, and removed afterwards.
 */
export async function importCatalogUpload(
  db: Database,
  ctx: RequestContext,
  body: unknown,
  declaredLength: number | undefined,
  options: ImportOptions,
): Promise<ImportReport> {
  if (!(body instanceof Readable)) {
    throw new AppError('unsupported_media_type', 'Send the catalog as Content-Type: text/csv');
  }
  if (declaredLength !== undefined && declaredLength > MAX_IMPORT_BYTES) throw tooLarge();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'novapos-import-'));
  try {
    const file = path.join(dir, 'catalog.csv');
    await spool(body, file, MAX_IMPORT_BYTES);
    return await importCatalogCsv(db, ctx, () => createReadStream(file), options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
