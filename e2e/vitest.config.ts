import { defineConfig } from 'vitest/config';

// The browser suite: the real server (child process, own embedded PostgreSQL and demo store) and Debian's
// Chromium driven by playwright-core. Not part of `npm test`; run with `npm run test:e2e` (docs/web-apps.md).
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    // One server for the run; files one after another (two cores, and a till is one person at a time).
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    // The machine is shared (two cores): a screen may take more than a second to settle.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 180_000,
  },
});
