import { assertSafeInteger, toSafeNumber } from './rounding.ts';

/**
 * Splits `total` into parts proportional to `weights` by the largest-remainder method: each part gets the floor
 * of its exact share, and the cents left over go one each to the parts with the largest remainders (earlier parts
 * first on ties). The parts always add up to exactly `total`, and no part is ever more than one cent away from its
 * exact share. A negative total is split like its absolute value, then negated.
 *
 * Weights are non-negative safe integers (line subtotals, rates). When they are all zero the total is split
 * evenly, so nothing is ever lost.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertSafeInteger(total, 'total');
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('allocate: a non-zero total needs at least one weight');
    return [];
  }
  let numberSum = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(`allocate: weights must be non-negative integers, got ${w}`);
    }
    numberSum += w;
  }
  // Fast path: while every product amount × weight stays a safe integer, plain numbers are exact (% on safe
  // integers is exact, and so is dividing a multiple). Carts of a till never leave it; bigint covers the rest.
  if (numberSum > 0 && Number.isSafeInteger(numberSum) && Math.abs(total) * numberSum <= Number.MAX_SAFE_INTEGER) {
    return allocateExact(total, weights, numberSum);
  }
  let sum = 0n;
  for (const w of weights) sum += BigInt(w);
  const effective = sum === 0n ? weights.map(() => 1n) : weights.map((w) => BigInt(w));
  const whole = sum === 0n ? BigInt(weights.length) : sum;
  const sign = total < 0 ? -1n : 1n;
  const amount = BigInt(Math.abs(total));

  const parts: bigint[] = [];
  const remainders: { index: number; remainder: bigint }[] = [];
  let given = 0n;
  effective.forEach((w, index) => {
    const exact = amount * w;
    const floor = exact / whole;
    parts.push(floor);
    given += floor;
    remainders.push({ index, remainder: exact % whole });
  });
  let left = amount - given;
  // Largest remainder first; ties go to the earlier part, so the split is deterministic.
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => toSafeNumber(p * sign, 'allocated part'));
}

/** `allocate` in plain numbers, for when |total| × Σ weights is a safe integer. Same result, no bigint. */
function allocateExact(total: number, weights: readonly number[], sum: number): number[] {
  const amount = Math.abs(total);
  const parts = new Array<number>(weights.length);
  const remainders = new Array<number>(weights.length);
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = amount * (weights[i] ?? 0);
    const remainder = exact % sum;
    const floor = (exact - remainder) / sum;
    parts[i] = floor;
    remainders[i] = remainder;
    given += floor;
  }
  let left = amount - given;
  if (left > 0) {
    const order = weights.map((_, i) => i);
    order.sort((a, b) => (remainders[b] ?? 0) - (remainders[a] ?? 0) || a - b);
    for (let k = 0; k < order.length && left > 0; k++, left--) {
      const index = order[k] ?? 0;
      parts[index] = (parts[index] ?? 0) + 1;
    }
  }
  return total < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}
