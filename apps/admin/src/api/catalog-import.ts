import { ApiError, problemToError } from '@novapos/api-client';
import { freshTokens } from './session.ts';
import type { ResultOf } from './types.ts';

export type ImportReport = ResultOf<'/v1/products/import', 'post'>;

export interface ImportProgress {
  /** `upload`: bytes leaving the browser; `server`: the file is all sent, the server validates and writes. */
  readonly phase: 'upload' | 'server';
  readonly loaded: number;
  readonly total: number;
}

export interface ImportOptions {
  readonly dryRun: boolean;
  readonly allowPartial: boolean;
  readonly onProgress: (progress: ImportProgress) => void;
}

/** What a refused import (400 with row errors) carries: the same report, with nothing written. */
export function reportOf(error: unknown): ImportReport | undefined {
  return error instanceof ApiError && typeof error.body.report === 'object'
    ? (error.body.report as ImportReport)
    : undefined;
}

/**
 * Sends a CSV file to POST /v1/products/import. This one call goes through XMLHttpRequest rather than the fetch
 * client: fetch cannot report upload progress, and a 20 MiB catalog takes a while to leave a shop's connection.
 * The report's type still comes from the OpenAPI document, and failures become the same ApiError.
 */
export async function importCatalog(file: File, options: ImportOptions): Promise<ImportReport> {
  const tokens = await freshTokens();
  if (tokens === undefined) throw new ApiError({ code: 'unauthorized', status: 401 });
  const query = new URLSearchParams({ dry_run: String(options.dryRun), allow_partial: String(options.allowPartial) });
  const xhr = new XMLHttpRequest();
  const done = new Promise<Response>((resolve, reject) => {
    xhr.upload.onprogress = (e) =>
      options.onProgress({ phase: 'upload', loaded: e.loaded, total: e.total || file.size });
    xhr.upload.onload = () => options.onProgress({ phase: 'server', loaded: file.size, total: file.size });
    xhr.onerror = () => reject(new ApiError({ code: 'network_error', status: 0, detail: 'upload failed' }));
    xhr.onload = () => {
      const headers = new Headers();
      for (const name of ['content-type', 'x-error-code', 'x-request-id']) {
        const value = xhr.getResponseHeader(name);
        if (value !== null) headers.set(name, value);
      }
      resolve(new Response(xhr.responseText, { status: xhr.status, headers }));
    };
  });
  xhr.open('POST', `/v1/products/import?${query.toString()}`);
  xhr.setRequestHeader('authorization', `Bearer ${tokens.access_token}`);
  xhr.setRequestHeader('content-type', 'text/csv');
  xhr.send(file);
  const response = await done;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw problemToError(response, body);
  return body as ImportReport;
}
