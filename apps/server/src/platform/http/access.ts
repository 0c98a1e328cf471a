import { hasAnyRole, type Role } from '@novapos/domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { anonymousContext, type RequestContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { TokenService } from '../tokens.ts';

/** Who may call a route: anyone (`'public'`), or a bearer holding one of the roles. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /v1 route: the app refuses to start when a route forgets it. */
    access?: Access;
    /** The route honours Idempotency-Key (see idempotency.ts). */
    idempotent?: boolean;
    /** A write that maintenance mode lets through (signing in, switching maintenance off). */
    maintenanceExempt?: boolean;
  }
  interface FastifyRequest {
    /** The request context; anonymous until the access check has verified a token. */
    ctx: RequestContext;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/;

/** The path prefix whose routes must declare their access. */
const API_PREFIX = '/v1/';

async function authenticate(tokens: TokenService, request: FastifyRequest): Promise<RequestContext> {
  const header = request.headers.authorization;
  if (header === undefined) throw new AppError('unauthorized', 'Sign in first: send Authorization: Bearer <token>');
  const match = BEARER.exec(header);
  if (match?.[1] === undefined) throw new AppError('invalid_token', 'The Authorization header must be "Bearer <JWT>"');
  const claims = await tokens.verify(match[1]);
  return {
    tenantId: claims.tid,
    actorType: claims.kind,
    actorId: claims.sub,
    roles: claims.roles,
    locationIds: claims.loc,
    registerId: claims.reg,
    requestId: request.id,
  };
}

/**
 * The OpenAPI security of a route with this access: none for a public route (and for the routes outside /v1, which
 * declare no access: health probes, the signing keys, /metrics with its own optional METRICS_TOKEN), the bearer
 * JWT otherwise. Which roles a route needs is in its summary or description, not in the security requirement.
 */
export function openApiSecurity(access: Access | undefined): Array<Record<string, string[]>> {
  return access === undefined || access === 'public' ? [] : [{ bearer: [] }];
}

/**
 * Access control for every /v1 route: verifies the bearer token, checks `X-Tenant-ID` against it and the route's
 * roles against the token's. Roles come only from the signed token; a role header (the seeds' `X-Roles`) is
 * ignored. The request logger gains tenant_id and user_id.
 */
export function registerAccess(app: FastifyInstance, tokens: TokenService): void {
  app.decorateRequest('ctx', undefined as unknown as RequestContext);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined && route.url.startsWith(API_PREFIX)) {
      throw new Error(`Route ${String(route.method)} ${route.url} must declare config.access (roles or 'public')`);
    }
    // The document's security comes from the declared access, never written by hand on a route.
    if (route.schema?.security !== undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url}: declare config.access, not schema.security`);
    }
    if (route.schema !== undefined) route.schema = { ...route.schema, security: openApiSecurity(access) };
  });

  app.addHook('onRequest', async (request) => {
    request.ctx = anonymousContext(request.id);
  });

  // preValidation: an anonymous caller learns nothing about the body's shape before signing in.
  app.addHook('preValidation', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    const ctx = await authenticate(tokens, request);
    const claimed = request.headers['x-tenant-id'];
    if (claimed !== undefined && claimed !== ctx.tenantId) {
      throw new AppError('tenant_mismatch', 'X-Tenant-ID does not match the tenant of your token');
    }
    request.ctx = ctx;
    // The request's own child logger gains the fields in place (cheaper than another child per request); Fastify
    // writes "request completed" through reply.log, which is the same logger.
    const bindings = { tenant_id: ctx.tenantId, user_id: ctx.actorId };
    const log = request.log as typeof request.log & { setBindings?: (b: Record<string, unknown>) => void };
    if (typeof log.setBindings === 'function') log.setBindings(bindings);
    else request.log = request.log.child(bindings);
    reply.log = request.log;
    if (!hasAnyRole(ctx.roles, access)) {
      throw new AppError('forbidden', `This needs one of the roles: ${access.join(', ')}`);
    }
  });
}
