/**
 * Child processes for tests that run the real CLI (`novapos serve`, `novapos gateway-sim`): start one, wait for the
 * line that says it is ready (or for it to exit, which fails the wait with its output), stop it and wait for its
 * exit. Nothing here counts milliseconds: a process that never says it is ready is caught by vitest's timeout, the
 * suite's one safety net (test/timing.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The CLI's entry point, run by the pinned Node that runs the tests. */
export const CLI = path.resolve(import.meta.dirname, '../src/cli.ts');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A started process: its output so far, its exit, and a way to stop it. */
export interface TestProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /**
   * Resolves with the exit code once the process has exited and its output streams have ended (the output is then
   * complete). Not for a process that leaves a child holding its output open (the server's orphaned database).
   */
  readonly finished: Promise<number | null>;
  /** Sends `signal` (default SIGTERM) unless the process has exited; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `novapos <args>` with `env` added to this process's environment (or replacing it, with `replaceEnv`). */
export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; replaceEnv?: boolean } = {},
): TestProcess {
  const env = options.replaceEnv === true ? options.env : { ...process.env, ...options.env };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const finished = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      resolve(code);
    });
  });
  return {
    child,
    output: () => output,
    exited,
    finished,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Resolves with the first match of `pattern` in the process's output (stdout and stderr); rejects with the output
 * if the process exits before writing it.
 */
export function waitForOutput(proc: TestProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const match = pattern.exec(proc.output());
      if (match === null) return false;
      done();
      resolve(match);
      return true;
    };
    const onData = (): void => {
      look();
    };
    const done = (): void => {
      proc.child.stdout?.off('data', onData);
      proc.child.stderr?.off('data', onData);
    };
    // Listeners added after runCli's own: the output already holds the chunk when they run.
    proc.child.stdout?.on('data', onData);
    proc.child.stderr?.on('data', onData);
    if (look()) return;
    void proc.exited.then((code) => {
      if (look()) return;
      done();
      reject(new Error(`${what}: the process exited with ${String(code)} first:\n${proc.output()}`));
    });
  });
}

/** The card-processor simulator as a real child process (payments and orders tests kill and restart it). */
export interface RunningSimulator {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** kill -9: no clean-up, no goodbye; resolves when the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `novapos gateway-sim` and resolves once it listens. `stateFile` keeps its authorizations across a kill
 * and a restart.
 */
export async function startSimulatorProcess(options: {
  port: number;
  stateFile: string;
  slowMs?: number;
}): Promise<RunningSimulator> {
  const args = ['gateway-sim', '--port', String(options.port), '--state', options.stateFile];
  args.push('--slow-ms', String(options.slowMs ?? 3000));
  const proc = runCli(args);
  const kill = async (): Promise<void> => {
    await proc.stop('SIGKILL');
  };
  const match = await waitForOutput(proc, /listening on (http:\/\/\S+)/, 'gateway-sim did not start').catch(
    async (err: unknown) => {
      await kill();
      throw err;
    },
  );
  return { url: match[1]!, port: options.port, child: proc.child, kill };
}
