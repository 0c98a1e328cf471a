import { uuidv7 } from 'uuidv7';

/** A new time-ordered id (UUIDv7): sortable by creation, friendly to B-tree indexes. */
export function newId(): string {
  return uuidv7();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical text form. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
