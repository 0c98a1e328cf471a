import { checkReceiptLines } from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import { invalidField } from '../../platform/errors.ts';
import type { LocationDto, RegisterDto } from './tenancy.schemas.ts';
import type { LocationRow, RegisterRow } from './tenancy.repo.ts';

/** The locations the actor may see, or null for every location (an empty scope in the token means all). */
export function scopeOf(ctx: RequestContext): readonly string[] | null {
  return ctx.locationIds.length === 0 ? null : ctx.locationIds;
}

/** Whether the actor's location scope covers `locationId`. */
export function inScope(ctx: RequestContext, locationId: string): boolean {
  return ctx.locationIds.length === 0 || ctx.locationIds.includes(locationId);
}

/**
 * A display name as stored: trimmed, so " Main " and "Main" are one name for the uniqueness rule; blank is refused.
 */
export function cleanName(field: string, value: string): string {
  const name = value.trim();
  if (name === '') throw invalidField(field, 'must not be blank');
  return name;
}

/**
 * Receipt lines (an address, a footer) as stored: trimmed, blank lines dropped; a control character, or too many or
 * too long lines after that, is a 400 naming the field (`address_lines[1]`).
 */
export function cleanReceiptLines(field: string, lines: readonly string[]): string[] {
  const check = checkReceiptLines(lines);
  if (check.ok) return check.lines;
  const { index, message } = check.problem;
  throw invalidField(index === null ? field : `${field}[${index}]`, message);
}

/** Whether two lists of lines are the same (a change of nothing is not written or audited). */
export function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** The canonical IANA name of a time zone (`europe/paris` → `Europe/Paris`); an unknown zone is a 400. */
export function canonicalTimeZone(field: string, value: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw invalidField(field, 'is not an IANA time zone (e.g. Europe/Paris)');
  }
}

export function toLocationDto(row: LocationRow): LocationDto {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    timezone: row.timezone,
    address_lines: row.address_lines,
    archived_at: row.archived_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toRegisterDto(row: RegisterRow): RegisterDto {
  return {
    id: row.id,
    location_id: row.location_id,
    name: row.name,
    archived_at: row.archived_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
