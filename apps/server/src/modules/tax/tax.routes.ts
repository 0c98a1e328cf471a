import { rolesAtLeast, type Role } from '@novapos/domain';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../platform/app-deps.ts';
import { Page, problems } from '../../platform/http/schemas.ts';
import * as tax from './tax.service.ts';
import {
  OverrideIdParams,
  SetTaxRateOverrideBody,
  TaxRateOverrideListQuery,
  TaxRateOverrideSchema,
} from './tax.schemas.ts';

const TAGS = ['tax'];
/** Seed 000: admins and managers keep the tax rates (and owners, who may do what admins do). */
const KEEPERS: readonly Role[] = rolesAtLeast('manager');
const REMOVERS: readonly Role[] = rolesAtLeast('admin');

/** /v1/admin/tax_rate_overrides. */
export function taxRoutes(app: App, deps: AppDeps): void {
  app.get(
    '/v1/admin/tax_rate_overrides',
    {
      config: { access: KEEPERS },
      schema: {
        tags: TAGS,
        operationId: 'listTaxRateOverrides',
        summary: 'List tax rate overrides (tenant, location and register scope)',
        querystring: TaxRateOverrideListQuery,
        response: { 200: Page(TaxRateOverrideSchema), ...problems(400, 401, 403) },
      },
    },
    (request) => tax.listOverrides(deps.db, request.ctx, request.query),
  );

  app.post(
    '/v1/admin/tax_rate_overrides',
    {
      config: { access: KEEPERS },
      schema: {
        tags: TAGS,
        operationId: 'setTaxRateOverride',
        summary: 'Set the tax rate override of a scope (201 when created, 200 when replaced)',
        description:
          'No ids: the tenant-wide override. `location_id`: that location. `register_id`: that register. ' +
          'A sale takes the most specific: explicit > register > location > tenant > DEFAULT_TAX_RATE_BPS.',
        body: SetTaxRateOverrideBody,
        response: {
          200: TaxRateOverrideSchema,
          201: TaxRateOverrideSchema,
          ...problems(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { override, created } = await tax.setOverride(deps.db, request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(override);
    },
  );

  app.delete(
    '/v1/admin/tax_rate_overrides/:id',
    {
      config: { access: REMOVERS },
      schema: {
        tags: TAGS,
        operationId: 'deleteTaxRateOverride',
        summary: 'Remove a tax rate override (sales fall back to the next scope)',
        params: OverrideIdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tax.deleteOverride(deps.db, request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
