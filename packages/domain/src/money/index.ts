export * from './rounding.ts';
export * from './allocate.ts';
export * from './currency.ts';
export * from './totals.ts';
export * from './discounts.ts';
