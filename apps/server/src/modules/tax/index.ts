// What other modules may use of tax. Routes are registered by app.ts from tax.routes.ts.
export {
  resolveTaxRate,
  explicitTaxRateFrom,
  auditExplicitTaxRate,
  EXPLICIT_TAX_RATE_HEADERS,
  type ResolvedTaxRate,
  type TaxRateQuery,
  type ExplicitTaxRateSource,
} from './tax.resolve.ts';
export { getTenantMoneySettings, type TenantMoneySettings } from './settings.service.ts';
export { setOverride } from './tax.service.ts';
