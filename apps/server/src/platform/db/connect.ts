import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { embeddedSuperuserPassword } from '../secrets.ts';
import { acquireDataDirLock, DataDirInUseError, type DataDirLock } from './data-dir-lock.ts';
import { EmbeddedPostgres } from './embedded-postgres.ts';

/** The database the embedded cluster keeps NovaPOS's data in. */
const EMBEDDED_DATABASE = 'novapos';

/** Where the owner connection points, and how to let go of what was started for it. */
export interface DatabaseTarget {
  readonly ownerUrl: string;
  readonly mode: 'embedded' | 'server' | 'embedded-shared';
  /** True on the first start of a new embedded cluster. */
  readonly created: boolean;
  /** Stops the embedded database (if this process started it) and releases the data folder. */
  release(): Promise<void>;
}

function embeddedUrl(config: Config, password: string, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.database.embeddedPort}/${database}`;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/**
 * Resolves the database to use: DATABASE_URL's server, or the embedded cluster in DATA_DIR/pg, started here.
 *
 * `shareRunning`: a CLI command (migrate, tenant create) run while a server holds the data folder connects to
 * that server's embedded database instead of refusing. The server itself never shares: a second server on the
 * same folder refuses with a clear message.
 */
export async function openDatabaseTarget(
  config: Config,
  options: { shareRunning: boolean; onLog?: (line: string) => void },
): Promise<DatabaseTarget> {
  if (config.database.url !== undefined) {
    return { ownerUrl: config.database.url, mode: 'server', created: false, release: async () => undefined };
  }
  // Traversable (not readable) by others: PostgreSQL runs as its own user when we are root and must reach pg/.
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
  fs.chmodSync(config.dataDir, 0o711);
  let lock: DataDirLock;
  try {
    lock = acquireDataDirLock(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirInUseError && options.shareRunning) {
      const password = embeddedSuperuserPassword(config.dataDir);
      return {
        ownerUrl: embeddedUrl(config, password, EMBEDDED_DATABASE),
        mode: 'embedded-shared',
        created: false,
        release: async () => undefined,
      };
    }
    throw err;
  }
  try {
    const password = embeddedSuperuserPassword(config.dataDir);
    const embedded = new EmbeddedPostgres({
      pgDataDir: path.join(config.dataDir, 'pg'),
      port: config.database.embeddedPort,
      superuserPassword: password,
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
    const created = !embedded.isInitialised();
    await embedded.start();
    try {
      await ensureDatabase(embeddedUrl(config, password, 'postgres'), EMBEDDED_DATABASE);
    } catch (err) {
      await embedded.stop();
      throw err;
    }
    return {
      ownerUrl: embeddedUrl(config, password, EMBEDDED_DATABASE),
      mode: 'embedded',
      created,
      release: async () => {
        await embedded.stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
