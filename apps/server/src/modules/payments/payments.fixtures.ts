import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../../cli.ts');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningSimulator {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** kill -9: no clean-up, no goodbye; resolves when the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `novapos gateway-sim` as a real child process (the pinned Node running our CLI) and waits until it
 * listens. `stateFile` keeps its authorizations across a kill and a restart.
 */
export function startSimulatorProcess(options: {
  port: number;
  stateFile: string;
  slowMs?: number;
}): Promise<RunningSimulator> {
  const args = [CLI, 'gateway-sim', '--port', String(options.port), '--state', options.stateFile];
  args.push('--slow-ms', String(options.slowMs ?? 3000));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`gateway-sim did not start:\n${output}`));
      // Generous: a busy 2-core machine can take long to start a Node process.
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ url: match[1], port: options.port, child, kill });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway-sim exited with ${code}:\n${output}`));
    });
  });
}

interface SimAuthorization {
  provider_ref: string;
  amount_cents: number;
  status: string;
  captured_cents: number;
  refunded_cents: number;
}

/** Every authorization the simulator holds. */
export async function simAuthorizations(url: string): Promise<SimAuthorization[]> {
  const res = await fetch(`${url}/v1/authorizations`);
  return ((await res.json()) as { data: SimAuthorization[] }).data;
}

/** The simulator's settlement report of today (UTC). */
export async function simSettlements(
  url: string,
): Promise<{ type: string; provider_ref: string; amount_cents: number }[]> {
  const res = await fetch(`${url}/v1/settlements?date=${new Date().toISOString().slice(0, 10)}`);
  return ((await res.json()) as { entries: { type: string; provider_ref: string; amount_cents: number }[] }).entries;
}
