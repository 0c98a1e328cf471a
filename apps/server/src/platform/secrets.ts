import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/** Secrets the server needs at run time. */
export interface Secrets {
  /** Ed25519 private key that signs access tokens. */
  readonly jwtPrivateKey: KeyObject;
  /** Key that turns a PIN into its lookup value; without it a stolen users table reveals no PIN. */
  readonly pinPepper: string;
}

/** Reads `file`, or writes `make()` to it (readable by its owner only) the first time. */
function readOrCreate(file: string, make: () => string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = make();
  fs.writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
  return value;
}

/** The folder of generated secrets inside DATA_DIR. */
export function keysDir(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

/**
 * Secrets from the environment (production), or generated once into DATA_DIR/keys (embedded and development).
 * The generated files are the whole secret: back them up with the data folder.
 */
export function loadSecrets(config: Config): Secrets {
  const dir = keysDir(config.dataDir);
  const pem =
    config.jwt.privateKeyPem ??
    readOrCreate(path.join(dir, 'jwt-ed25519.pem'), () =>
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
  const jwtPrivateKey = createPrivateKey(pem);
  if (jwtPrivateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('JWT_PRIVATE_KEY: must be an Ed25519 key (openssl genpkey -algorithm ed25519)');
  }
  const pinPepper =
    config.pinPepper ?? readOrCreate(path.join(dir, 'pin-pepper'), () => randomBytes(32).toString('hex'));
  return { jwtPrivateKey, pinPepper };
}

/** Password of the embedded cluster's superuser, generated on first start. */
export function embeddedSuperuserPassword(dataDir: string): string {
  return readOrCreate(path.join(keysDir(dataDir), 'pg-superuser-password'), () =>
    randomBytes(24).toString('base64url'),
  );
}

/** Fresh in-memory secrets, for tests. */
export function ephemeralSecrets(): Secrets {
  return { jwtPrivateKey: generateKeyPairSync('ed25519').privateKey, pinPepper: randomBytes(32).toString('hex') };
}
