import { defineConfig } from 'vitest/config';

// Unit tests of the back office's logic that need no browser (money and rate formats, role rules, token refresh);
// the screens are tested in Chromium by e2e/admin.test.ts.
export default defineConfig({
  test: { name: 'admin', include: ['src/**/*.test.ts'], environment: 'node' },
});
