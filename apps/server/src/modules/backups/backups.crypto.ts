import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Encrypted backup files: `NOVAPOS-BACKUP-AES256GCM-1\n` (27 bytes), a 12-byte random IV, the AES-256-GCM
 * ciphertext of the pg_dump archive, and the 16-byte authentication tag at the end. Both directions stream, so a
 * dump of any size needs no memory beyond a chunk. The header doubles as the file's associated data: a file whose
 * header was edited fails authentication.
 */
export const ENCRYPTED_MAGIC = Buffer.from('NOVAPOS-BACKUP-AES256GCM-1\n', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts a stream: header and IV first, then ciphertext, then the tag. */
export function encryptStream(key: Buffer): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(ENCRYPTED_MAGIC);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        started = true;
        this.push(Buffer.concat([ENCRYPTED_MAGIC, iv]));
      }
      done(null, cipher.update(chunk));
    },
    flush(done: TransformCallback) {
      if (!started) this.push(Buffer.concat([ENCRYPTED_MAGIC, iv]));
      const rest = cipher.final();
      done(null, Buffer.concat([rest, cipher.getAuthTag()]));
    },
  });
}

/**
 * Decrypts what encryptStream wrote. The tag is the last 16 bytes, so the stream always holds back the newest 16
 * bytes until it ends. Plaintext flows before the tag is checked: callers write it to a temporary file and use it
 * only when the stream ended without error (restore does exactly that).
 */
export function decryptStream(key: Buffer): Transform {
  let head = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  let tail = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (decipher === undefined) {
          head = Buffer.concat([head, chunk]);
          const need = ENCRYPTED_MAGIC.length + IV_BYTES;
          if (head.length < need) {
            done();
            return;
          }
          if (!head.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC)) {
            done(new Error('not an encrypted NovaPOS backup (unknown header)'));
            return;
          }
          decipher = createDecipheriv('aes-256-gcm', key, head.subarray(ENCRYPTED_MAGIC.length, need));
          decipher.setAAD(ENCRYPTED_MAGIC);
          chunk = head.subarray(need);
        }
        const data = Buffer.concat([tail, chunk]);
        const cut = Math.max(0, data.length - TAG_BYTES);
        tail = data.subarray(cut);
        done(null, decipher.update(data.subarray(0, cut)));
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (decipher === undefined || tail.length < TAG_BYTES) {
        done(new Error('the encrypted backup is truncated'));
        return;
      }
      try {
        decipher.setAuthTag(tail);
        done(null, decipher.final());
      } catch {
        done(
          new Error('the encrypted backup failed authentication: wrong BACKUP_ENCRYPTION_KEY, or the file was altered'),
        );
      }
    },
  });
}
