export * from './payment-intent.ts';
