import { defineConfig } from 'vitest/config';
import { SAFETY_NET_MS } from './test/timing.ts';

export default defineConfig({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    // Each file gets its own database; two cores, so two files at a time.
    maxWorkers: 2,
    // Tests wait for what they need (a line, a port, a row), never a guessed duration; these bounds are only the
    // safety net against a hang, far beyond a loaded machine's slowest test (test/timing.ts, TEST_TIMEOUT_SCALE).
    testTimeout: SAFETY_NET_MS,
    hookTimeout: SAFETY_NET_MS,
    teardownTimeout: SAFETY_NET_MS,
  },
});
