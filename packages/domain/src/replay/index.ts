export * from './signing.ts';
export * from './replay-diff.ts';
