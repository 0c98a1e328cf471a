import { defineConfig } from 'vitest/config';

// One run covers every workspace. Server suites share one PostgreSQL (embedded, or TEST_DATABASE_URL's server)
// started by the global setup; each test file gets its own database cloned from a migrated template.
// The browser suite (e2e/, Chromium) is not part of `npm test`: `npm run test:e2e` (docs/web-apps.md).
export default defineConfig({
  test: {
    projects: ['packages/domain', 'packages/api-client', 'apps/server', 'apps/pos', 'apps/admin'],
  },
});
