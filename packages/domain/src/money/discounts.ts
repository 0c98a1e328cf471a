const BPS = 10_000;

/**
 * The discount a line ends up with, in basis points, when its own discount and the order discount stack: the
 * order discount is taken on what is left after the line's, so 1 − (1 − line)(1 − order) = line + order − line ×
 * order. Rounded up, so that a cashier's limit is never passed through rounding.
 */
export function stackedDiscountBp(lineBp: number, orderBp: number): number {
  return Math.ceil((lineBp * BPS + orderBp * BPS - lineBp * orderBp) / BPS);
}

/**
 * The largest discount any line of a cart gets, in basis points: what a cashier's discount limit is checked
 * against (the order discount alone when no line has its own).
 */
export function largestDiscountBp(lineBps: readonly number[], orderBp: number): number {
  return lineBps.reduce((largest, bp) => Math.max(largest, stackedDiscountBp(bp, orderBp)), orderBp);
}
