import type { Role } from '@novapos/domain';

/** Who is acting: a tenant user, a platform operator, the system itself, or nobody signed in yet. */
export type ActorType = 'user' | 'platform_user' | 'system' | 'anonymous';

/**
 * The request context, built once per request (or per job) and passed first to every service and repository
 * function. `tenantId` is undefined only for platform operators and anonymous requests.
 */
export interface RequestContext {
  readonly tenantId: string | undefined;
  readonly actorType: ActorType;
  readonly actorId: string | undefined;
  readonly roles: readonly Role[];
  /** Locations the actor may work at; empty means every location of the tenant. */
  readonly locationIds: readonly string[];
  /** The register (till) the actor signed in at, for PIN sessions. */
  readonly registerId: string | undefined;
  readonly requestId: string | undefined;
}

/** A context for work done by NovaPOS itself inside one tenant (consumers, jobs, the CLI). */
export function systemContext(tenantId: string | undefined, requestId?: string): RequestContext {
  return {
    tenantId,
    actorType: 'system',
    actorId: undefined,
    roles: [],
    locationIds: [],
    registerId: undefined,
    requestId,
  };
}

/** A context for a request nobody has signed in to yet (login, refresh). */
export function anonymousContext(requestId: string | undefined, tenantId?: string): RequestContext {
  return { ...systemContext(tenantId, requestId), actorType: 'anonymous' };
}

/** The tenant of a context that must have one; a programming error otherwise. */
export function requireTenant(ctx: RequestContext): string {
  if (ctx.tenantId === undefined) throw new Error('this operation needs a tenant context');
  return ctx.tenantId;
}
