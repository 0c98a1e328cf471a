import { rolesAtLeast } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { noStore } from '../../platform/http/no-store.ts';
import { problems } from '../../platform/http/schemas.ts';
import { OfflinePins, OfflinePinsQuery, OfflineSignin, OfflineSigninBody } from './offline-signin.schemas.ts';
import { offlinePins, reportOfflineSignin } from './offline-signin.service.ts';

const TAGS = ['pos'];
const SELLERS = rolesAtLeast('cashier');

/** /v1/pos/offline-pins and /v1/pos/offline-signins: signing in at a till while the server is unreachable. */
export function offlineSigninRoutes(app: App, deps: AppDeps): void {
  app.addSchema(OfflinePins);
  app.addSchema(OfflineSignin);

  app.get(
    '/v1/pos/offline-pins',
    {
      config: { access: SELLERS },
      // PIN verifiers: no browser cache, proxy or CDN may keep them.
      onRequest: noStore,
      schema: {
        tags: TAGS,
        operationId: 'getOfflinePins',
        summary:
          "The PIN verifiers a register's till checks while the server is unreachable (that till's session only)",
        description:
          'Only a session signed in with a PIN at this register (its token names the register) may read them. ' +
          'Each verifier is PBKDF2-HMAC-SHA-256 of a PIN with its own salt; see docs/security.md for what protects them.',
        querystring: OfflinePinsQuery,
        response: { 200: OfflinePins, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => offlinePins(deps.db, request.ctx, request.query.register_id),
  );

  app.post(
    '/v1/pos/offline-signins',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'reportOfflineSignin',
        summary: 'A till reports a sign-in it accepted while offline (audited; a repeated report is recorded once)',
        body: OfflineSigninBody,
        response: { 200: OfflineSignin, 201: OfflineSignin, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { signin, created } = await reportOfflineSignin(deps.db, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(signin);
    },
  );
}
