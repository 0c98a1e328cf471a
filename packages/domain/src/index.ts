/**
 * `@novapos/domain`: the pure heart of NovaPOS, shared by the server and the till. No I/O lives here.
 */
export * from './roles.ts';
export * from './canonical-json.ts';
export * from './money/index.ts';
export * from './tax-precedence.ts';
export * from './pricing/index.ts';
export * from './orders/index.ts';
export * from './receipts/index.ts';
export * from './payments/index.ts';
export * from './replay/index.ts';
