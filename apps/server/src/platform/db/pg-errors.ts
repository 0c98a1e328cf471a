/** SQLSTATE of a unique violation (class 23, integrity constraint violation). */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `err` is PostgreSQL's unique violation of the named constraint or unique index. Services use it to turn
 * a race the database settled (two requests creating the same e-mail) into a 409 problem instead of a 500; the
 * transaction is aborted either way, so the caller must throw, not carry on.
 */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === UNIQUE_VIOLATION && e.constraint === constraint;
}
