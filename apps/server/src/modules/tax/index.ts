// What other modules may use of tax. Routes are registered by app.ts from tax.routes.ts.
export {
  resolveTaxRate,
  pickSaleTaxRate,
  explicitTaxRateFrom,
  auditExplicitTaxRate,
  EXPLICIT_TAX_RATE_HEADERS,
  type ResolvedTaxRate,
  type TaxRateQuery,
  type ExplicitTaxRateSource,
} from './tax.resolve.ts';
export { setOverride } from './tax.service.ts';
export { findOverrideRates, type OverrideRates } from './tax.repo.ts';
