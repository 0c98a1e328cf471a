export * from './price-sale.ts';
export * from './discount-approval.ts';
