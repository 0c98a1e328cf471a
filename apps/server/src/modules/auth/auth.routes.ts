import { ALL_ROLES } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { noStore } from '../../platform/http/no-store.ts';
import { problems } from '../../platform/http/schemas.ts';
import { JwksSchema, LoginBody, MeSchema, PinLoginBody, RefreshBody, TokenPairSchema } from './auth.schemas.ts';
import * as auth from './auth.service.ts';

const TAGS = ['auth'];

export function authRoutes(app: App, deps: AppDeps): void {
  const service: auth.AuthDeps = {
    db: deps.db,
    config: deps.config,
    tokens: deps.tokens,
    metrics: deps.metrics,
    pinPepper: deps.secrets.pinPepper,
  };

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        hide: false,
        operationId: 'getSigningKeys',
        summary: 'The public keys that verify our access tokens (JWKS)',
        tags: TAGS,
        response: { 200: JwksSchema },
      },
    },
    () => deps.tokens.jwks(),
  );

  app.post(
    '/v1/auth/login',
    {
      config: { access: 'public', maintenanceExempt: true },
      onRequest: noStore,
      schema: {
        tags: TAGS,
        operationId: 'login',
        summary: 'Sign in with e-mail and password',
        body: LoginBody,
        response: { 200: TokenPairSchema, ...problems(400, 401, 403, 423, 429) },
      },
    },
    async (request) => {
      await deps.loginLimiter.consume(`ip:${request.ip}`);
      return auth.login(service, request.id, request.body);
    },
  );

  app.post(
    '/v1/auth/pin-login',
    {
      config: { access: 'public', maintenanceExempt: true },
      onRequest: noStore,
      schema: {
        tags: TAGS,
        operationId: 'pinLogin',
        summary: 'Sign a cashier in at a register with a PIN',
        body: PinLoginBody,
        response: { 200: TokenPairSchema, ...problems(400, 401, 403, 404, 423, 429) },
      },
    },
    async (request) => {
      await deps.loginLimiter.consume(`ip:${request.ip}`);
      await deps.pinLimiter.consume(`register:${request.body.register_id}`);
      return auth.pinLogin(service, request.id, request.body, request.log);
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { access: 'public', maintenanceExempt: true },
      onRequest: noStore,
      schema: {
        tags: TAGS,
        operationId: 'refreshTokens',
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        body: RefreshBody,
        response: { 200: TokenPairSchema, ...problems(400, 401) },
      },
    },
    (request) => auth.refresh(service, request.id, request.body.refresh_token),
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { access: 'public', maintenanceExempt: true },
      schema: {
        tags: TAGS,
        operationId: 'logout',
        summary: 'End the session of a refresh token',
        body: RefreshBody,
        response: { 204: { type: 'null' }, ...problems(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(service, request.id, request.body.refresh_token);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: TAGS,
        operationId: 'getMe',
        summary: 'Who the bearer of the token is',
        response: { 200: MeSchema, ...problems(401, 403) },
      },
    },
    (request) => auth.me(service, request.ctx),
  );
}
