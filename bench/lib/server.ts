import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'apps/server/src/cli.ts');

/** A child process that printed a URL; `stop` ends it (SIGTERM) and waits. */
export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (for the embedded PostgreSQL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Spawns `node <args>` and resolves once a line of its stdout matches `pattern` (its first group is the URL).
 * The child's stderr is passed through so a failed start explains itself.
 */
export function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
  timeoutMs = 120_000,
): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)} before it was ready:\n${out}`));
    });
    // The banner is on stderr (stdout carries the JSON logs); stderr is passed through as before.
    const onOutput = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match?.[1] !== undefined && child.pid !== undefined) {
        clearTimeout(timer);
        const pid = child.pid;
        resolve({
          url: match[1],
          pid,
          stop: async () => {
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(killer);
          },
        });
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      onOutput(chunk);
    });
  });
}

/** Resident memory of a process in MB, from /proc (Linux); undefined elsewhere or once it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs`; `stop` returns the samples in MB. */
export function sampleRss(pid: number, everyMs = 250): { stop(): number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const mb = rssMb(pid);
    if (mb !== undefined) samples.push(mb);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}
