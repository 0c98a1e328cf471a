import { rolesAtLeast } from '@novapos/domain';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { problems } from '../../platform/http/schemas.ts';
import { registerDevice, registerDevices, revokeRegisterDevice } from './devices.service.ts';
import {
  DeviceList,
  DeviceParams,
  DeviceSchema,
  DiscountApprovalBody,
  OneDeviceParams,
  DiscountApprovalResult,
  RegisterDeviceBody,
  RegisterDeviceResult,
  ReplayApprovalBody,
  ReplayApprovalResult,
  TillContext,
  TillContextQuery,
} from './pos.schemas.ts';
import { approveDiscount, tillContext } from './pos.service.ts';
import { approveReplay } from './replay-approvals.ts';

const TAGS = ['pos'];
const SELLERS = rolesAtLeast('cashier');

/** /v1/pos: what the till needs beyond the catalog and orders (docs/pos.md). */
export function posRoutes(app: App, deps: AppDeps): void {
  app.addSchema(TillContext);
  app.addSchema(DiscountApprovalResult);

  app.get(
    '/v1/pos/context',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'getPosContext',
        summary: "A register's pricing context (tax rate, money settings) and the till's limits",
        querystring: TillContextQuery,
        response: { 200: TillContext, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => tillContext(deps, request.ctx, request.query.register_id),
  );

  app.post(
    '/v1/pos/discount-approvals',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'approveDiscount',
        summary: "A manager's PIN approves a discount above the cashier's limit for one sale (audited)",
        body: DiscountApprovalBody,
        response: { 201: DiscountApprovalResult, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await approveDiscount(deps, request.ctx, request.body)),
  );

  app.post(
    '/v1/pos/replay-approvals',
    {
      config: { access: SELLERS },
      schema: {
        tags: TAGS,
        operationId: 'approveReplay',
        summary: "A manager's PIN approves one resolution of a refused offline sale (audited)",
        body: ReplayApprovalBody,
        response: { 201: ReplayApprovalResult, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await approveReplay(deps, request.ctx, request.body)),
  );

  app.post(
    '/v1/registers/:id/devices',
    {
      config: { access: rolesAtLeast('manager'), idempotent: true },
      schema: {
        tags: TAGS,
        operationId: 'registerDevice',
        summary: 'Issue a till device of a register: its Ed25519 public key signs the sales it queues offline',
        params: DeviceParams,
        body: RegisterDeviceBody,
        response: { 201: RegisterDeviceResult, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerDevice(deps.db, request.ctx, request.params.id, request.body)),
  );

  app.get(
    '/v1/registers/:id/devices',
    {
      config: { access: rolesAtLeast('manager') },
      schema: {
        tags: TAGS,
        operationId: 'listRegisterDevices',
        summary: 'The till devices of a register, revoked ones included',
        params: DeviceParams,
        response: { 200: DeviceList, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => registerDevices(deps.db, request.ctx, request.params.id),
  );

  app.post(
    '/v1/registers/:id/devices/:device_id/revoke',
    {
      config: { access: rolesAtLeast('manager') },
      schema: {
        tags: TAGS,
        operationId: 'revokeRegisterDevice',
        summary: 'Revoke a till device (lost or stolen): sales it signs are refused from now on (audited)',
        params: OneDeviceParams,
        response: { 200: DeviceSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => revokeRegisterDevice(deps.db, request.ctx, request.params.id, request.params.device_id),
  );
}
