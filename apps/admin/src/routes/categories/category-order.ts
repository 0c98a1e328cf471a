/** The server's limits on a category (categories.schemas.ts). */
export const CATEGORY_NAME_MAX = 200;
export const POSITION_MIN = -1_000_000;
export const POSITION_MAX = 1_000_000;

interface Placed {
  readonly id: string;
  readonly position: number;
}

/** "12" → 12; blank → undefined (the server's default); anything else (or out of range) → null. */
export function parsePosition(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= POSITION_MIN && n <= POSITION_MAX ? n : null;
}

export function positionProblem(text: string): string | undefined {
  return parsePosition(text) === null
    ? `A whole number from ${POSITION_MIN.toLocaleString('en-US')} to ${POSITION_MAX.toLocaleString('en-US')}.`
    : undefined;
}

export function nameProblem(text: string): string | undefined {
  const name = text.trim();
  if (name === '') return 'Enter a name.';
  if (name.length > CATEGORY_NAME_MAX) return `At most ${CATEGORY_NAME_MAX} characters.`;
  return undefined;
}

/**
 * Moves the category `id` one place up (-1) or down (+1) in `list` (the active categories in display order) and
 * returns the ids of the whole list in the new order, as `PUT /v1/categories/order` takes them (the server then
 * numbers them 10, 20, 30…, so ties between positions never matter here). Null when the move goes past either end
 * or the id is not in the list.
 */
export function moveCategory(list: readonly Placed[], id: string, direction: -1 | 1): string[] | null {
  const from = list.findIndex((c) => c.id === id);
  const to = from + direction;
  if (from < 0 || to < 0 || to >= list.length) return null;
  const order = list.map((c) => c.id);
  order[from] = order[to] as string;
  order[to] = id;
  return order;
}
