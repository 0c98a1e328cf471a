import { rolesAtLeast, type Role } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import { AuditEventSchema, AuditEventsQuery, AuditVerifySchema } from './audit.schemas.ts';
import * as audit from './audit.service.ts';

const TAGS = ['audit'];

/** Managers read the log; proving it intact is for owners and admins. A superadmin sees the platform chain. */
const READERS: readonly Role[] = [...rolesAtLeast('manager'), 'superadmin'];
const VERIFIERS: readonly Role[] = [...rolesAtLeast('admin'), 'superadmin'];

/** GET /v1/audit/events and GET /v1/audit/verify. */
export function auditRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/audit/events',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        operationId: 'listAuditEvents',
        summary: 'Audit events of your tenant (or the platform), newest first',
        querystring: AuditEventsQuery,
        response: { 200: Page(AuditEventSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => audit.listEvents(deps.db, request.ctx, request.query),
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: VERIFIERS },
      schema: {
        tags: TAGS,
        operationId: 'verifyAuditLog',
        summary: 'Recompute every audit chain of your tenant (or the platform) and report the first break',
        response: { 200: AuditVerifySchema, ...problems(401, 403) },
      },
    },
    (request) => audit.verifyChains(deps.db, request.ctx),
  );
}
