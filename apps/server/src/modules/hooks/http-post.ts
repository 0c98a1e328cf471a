import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './url-guard.ts';

/** What one POST came to: a status code, or an error when no answer arrived. */
export interface PostResult {
  readonly statusCode: number | null;
  readonly error: string | null;
}

/**
 * POSTs `body` as JSON. Redirects are not followed (a 3xx is a failure: following one could lead to a private
 * address). Unless private addresses are allowed, the connection's own DNS lookup refuses them. The response
 * body is read and discarded, up to 64 KiB.
 */
export function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivateUrls: boolean },
): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'NovaPOS-Webhooks/1',
        },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivateUrls ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 65_536) res.destroy();
        });
        const done = (): void => finish({ statusCode: res.statusCode ?? null, error: null });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (err) => {
      const reason = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timed out' : err.message;
      finish({ statusCode: null, error: reason });
    });
    req.end(body);
  });
}
