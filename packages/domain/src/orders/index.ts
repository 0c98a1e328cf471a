export * from './order-state.ts';
export * from './tenders.ts';
export * from './sale-order.ts';
