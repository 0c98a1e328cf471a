/** The server's limits on a category (categories.schemas.ts). */
export const CATEGORY_NAME_MAX = 200;
export const POSITION_MIN = -1_000_000;
export const POSITION_MAX = 1_000_000;
/** The gap left between positions when the list is renumbered, so one can be slotted in by hand later. */
export const POSITION_STEP = 10;

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

/** The position a new category takes so it lands at the end of the list. */
export function positionAtEnd(list: readonly Placed[]): number {
  if (list.length === 0) return 0;
  return Math.min(POSITION_MAX, Math.max(...list.map((c) => c.position)) + POSITION_STEP);
}

/**
 * Moves the category `id` one place up (-1) or down (+1) in `list` (display order) and returns the position
 * changes that produce the new order. Two categories with distinct positions swap them; when positions tie (every
 * category created without one sits at 0) the whole list is renumbered 10, 20, 30… so the order becomes explicit.
 * Only categories whose position actually changes are returned; none when the move goes past either end.
 */
export function moveCategory(
  list: readonly Placed[],
  id: string,
  direction: -1 | 1,
): { id: string; position: number }[] {
  const from = list.findIndex((c) => c.id === id);
  const to = from + direction;
  if (from < 0 || to < 0 || to >= list.length) return [];
  const a = list[from] as Placed;
  const b = list[to] as Placed;
  const positions = list.map((c) => c.position);
  const distinct = new Set(positions).size === positions.length;
  if (distinct) {
    return [
      { id: a.id, position: b.position },
      { id: b.id, position: a.position },
    ];
  }
  const order = [...list];
  order[from] = b;
  order[to] = a;
  const fitsSteps = order.length * POSITION_STEP <= POSITION_MAX;
  return order
    .map((c, i) => ({ id: c.id, position: fitsSteps ? (i + 1) * POSITION_STEP : i + 1 }))
    .filter((c, i) => c.position !== (order[i] as Placed).position);
}
