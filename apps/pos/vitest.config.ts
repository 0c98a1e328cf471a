import { defineConfig } from 'vitest/config';

// Unit tests of the till's logic that need no browser (totals, scanner, queue order); the flows are in e2e/.
export default defineConfig({
  test: { name: 'pos', include: ['src/**/*.test.ts'], environment: 'node' },
});
