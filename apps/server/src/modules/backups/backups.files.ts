import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { BackupDto } from './backups.schemas.ts';

/**
 * The files of one backup in BACKUP_DIR: the archive (`.dump`, or `.dump.enc` when encrypted), its checksum in
 * `sha256sum` format (`sha256sum -c novapos-….dump.sha256` checks it by hand), and a JSON manifest (the backup's row,
 * so the `backups` table can be rebuilt from the folder after a restore).
 */
export function checksumPath(file: string): string {
  return `${file}.sha256`;
}

export function manifestPath(file: string): string {
  return `${file}.json`;
}

/** `novapos-20261130T020000Z-1a2b3c4d.dump[.enc]`: sortable by time, unique by the id's tail. */
export function backupFileName(id: string, at: Date, encrypted: boolean): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `novapos-${stamp}-${id.slice(-8)}.dump${encrypted ? '.enc' : ''}`;
}

/** A pass-through stream that hashes and counts what flows through it. */
export function hashingStream(): { stream: Transform; result: () => { sha256: string; bytes: number } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), bytes }) };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function writeChecksum(file: string, sha256: string): Promise<void> {
  await fs.writeFile(checksumPath(file), `${sha256}  ${path.basename(file)}\n`, { mode: 0o600 });
}

/** The checksum recorded beside `file`, or undefined when there is none. */
export async function readChecksum(file: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(checksumPath(file), 'utf8');
    const match = /^([0-9a-f]{64})\s/.exec(text);
    return match?.[1];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeManifest(file: string, backup: BackupDto): Promise<void> {
  await fs.writeFile(manifestPath(file), `${JSON.stringify(backup, null, 2)}\n`, { mode: 0o600 });
}

/** Every manifest in `dir` that parses; others are skipped (a manifest is a convenience, the dump is the backup). */
export async function readManifests(dir: string): Promise<BackupDto[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const manifests: BackupDto[] = [];
  for (const name of names.filter((n) => /^novapos-.*\.dump(\.enc)?\.json$/.test(n))) {
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as BackupDto;
      if (typeof parsed.id === 'string' && typeof parsed.file_name === 'string') manifests.push(parsed);
    } catch {
      // unreadable manifest: ignored
    }
  }
  return manifests;
}

/** Deletes a backup's files; missing ones are fine (a failed backup has no archive). */
export async function removeFiles(file: string): Promise<void> {
  for (const f of [file, `${file}.partial`, checksumPath(file), manifestPath(file)]) {
    await fs.rm(f, { force: true });
  }
}
