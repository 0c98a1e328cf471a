import { AppError } from '../errors.ts';
import { isUuid } from '../ids.ts';

/**
 * Opaque cursors: base64url of the last row's sort key. Clients must not build them; we may change their content.
 */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks it has the expected string fields; a bad one is a 400 `invalid_cursor`. */
export function decodeCursor<K extends string>(cursor: string, fields: readonly K[]): Record<K, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  const record = parsed as Record<string, unknown>;
  for (const f of fields) {
    if (typeof record[f] !== 'string') throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  }
  return record as Record<K, string>;
}

/**
 * Cuts a result fetched with `limit + 1` rows into a page: the extra row only says there is a next page.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (last: T) => Record<string, string>,
): {
  data: T[];
  next_cursor: string | null;
} {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data.at(-1);
  return { data, next_cursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * The id after which a list keyed by (time-ordered) id continues: null for the first page, else the id in a cursor
 * that `toPage(rows, limit, (last) => ({ id: last.id }))` issued. Anything else is 400 `invalid_cursor`.
 */
export function afterIdCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const { id } = decodeCursor(cursor, ['id']);
  if (!isUuid(id)) throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  return id;
}
