import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A built single-page app and where it is served: `/pos/` for the till, `/admin/` for the back office. */
export interface WebApp {
  /** URL segment and name: `pos` → `/pos/`. */
  readonly name: string;
  /** Vite's output folder (`apps/<name>/dist`). */
  readonly dist: string;
  /** What a person should run when the app is missing. */
  readonly title: string;
}

/** The apps `npm start` builds, next to the server in the repository. */
export function defaultWebApps(appsDir = path.resolve(import.meta.dirname, '../../../..')): WebApp[] {
  return [
    { name: 'pos', dist: path.join(appsDir, 'pos', 'dist'), title: 'The till' },
    { name: 'admin', dist: path.join(appsDir, 'admin', 'dist'), title: 'The back office' },
  ];
}

/** Vite puts content-hashed files in assets/: their URL changes with their content, so they never go stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html, the service worker and the manifest must be revalidated, or a till would keep an old version. */
const REVALIDATE = 'no-cache';

function cacheControlFor(file: string): string {
  return file.split(path.sep).includes('assets') ? IMMUTABLE : REVALIDATE;
}

/** A request that looks like a file (an extension), as opposed to a client-side route of the app. */
function looksLikeFile(url: string): boolean {
  const last = url.split('?')[0]?.split('/').pop() ?? '';
  return last.includes('.');
}

function notBuilt(reply: FastifyReply, app: WebApp): FastifyReply {
  const body =
    `<!doctype html><meta charset="utf-8"><title>${app.title} is not built</title>` +
    `<h1>${app.title} is not built</h1><p>This server serves <code>apps/${app.name}/dist</code>, which does not ` +
    `exist. Run <code>npm start</code> (it builds the web apps first) or <code>npm run build:web</code>, ` +
    `then restart the server.</p>`;
  return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/**
 * Serves each built web app under `/<name>/` on the API's own port: files from its dist folder with cache
 * headers that suit Vite's output, and index.html for every other path below it (client-side routes of the SPA).
 * A missing build answers 503 with what to run. These are not /v1 routes: no access check, nothing tenant-bound.
 */
export async function registerWebApps(app: FastifyInstance, apps: readonly WebApp[]): Promise<void> {
  for (const web of apps) {
    const prefix = `/${web.name}`;
    app.get(prefix, { schema: { hide: true } }, (_request, reply) => reply.redirect(`${prefix}/`, 308));
    if (!existsSync(path.join(web.dist, 'index.html'))) {
      app.get(`${prefix}/*`, { schema: { hide: true } }, (_request, reply) => notBuilt(reply, web));
      continue;
    }
    await app.register(
      async (scope) => {
        await scope.register(fastifyStatic, {
          root: web.dist,
          prefix: '/',
          decorateReply: true,
          schemaHide: true,
          index: ['index.html'],
          cacheControl: false,
          dotfiles: 'ignore',
          setHeaders: (reply, file) => {
            reply.header('cache-control', cacheControlFor(file));
          },
        });
        // Anything under the prefix that is not a file is a route of the app: the browser gets index.html.
        scope.setNotFoundHandler((request, reply) => {
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            return reply.code(405).header('allow', 'GET, HEAD').send();
          }
          if (looksLikeFile(request.url)) {
            return reply.code(404).header('cache-control', 'no-store').type('text/plain').send('Not found');
          }
          return reply.header('cache-control', REVALIDATE).sendFile('index.html', web.dist);
        });
      },
      { prefix },
    );
  }
}
