import type { TestProject } from 'vitest/node';
import { startServerProcess } from './harness.ts';

let stop: (() => Promise<void>) | undefined;

/** Once per run: the real server with its own database and demo store; every test file shares it. */
export async function setup(project: TestProject): Promise<void> {
  const started = await startServerProcess();
  stop = () => started.stop();
  project.provide('e2e', started.server);
}

export async function teardown(): Promise<void> {
  await stop?.();
}
