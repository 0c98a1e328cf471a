import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './embedded-postgres.ts';

/** Raised when another NovaPOS server already uses the data folder. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/** The lock a server holds on its data folder while it runs. */
export interface DataDirLock {
  release(): void;
}

function isNode(pid: number): boolean {
  // A pid can be reused after a crash: only a live node process counts as the holder.
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return isProcessAlive(pid);
  }
}

/**
 * Takes the data folder for this process, or throws DataDirInUseError when another live server holds it. Two
 * servers on one folder would start two postmasters on one cluster; PostgreSQL refuses that too, but only after
 * we have spent time and printed confusing errors.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = path.join(dataDir, 'server.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, started_at: new Date().toISOString() }));
      fs.closeSync(fd);
      return {
        release: () => {
          try {
            const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
            if (held.pid === process.pid) fs.rmSync(file, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: number | undefined;
      try {
        holder = (JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        holder = undefined;
      }
      if (holder !== undefined && holder !== process.pid && isNode(holder)) {
        throw new DataDirInUseError(
          `Another NovaPOS server (pid ${holder}) is already using the data folder ${dataDir}. ` +
            `Stop it first (Ctrl-C in its terminal, or: kill ${holder}), or start this one with another DATA_DIR.`,
        );
      }
      // A lock left by a server that crashed: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock the data folder ${dataDir}`);
}
