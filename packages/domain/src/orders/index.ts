export * from './order-state.ts';
export * from './tenders.ts';
