/**
 * Rounding modes NovaPOS supports. Every rounding in a total happens through `divRound`, one named step at a
 * documented point, never through floating point.
 * - `half_up`: half away from zero (2.5 → 3, −2.5 → −3). The default.
 * - `truncate`: toward zero (2.9 → 2, −2.9 → −2).
 * - `bankers`: half to even (2.5 → 2, 3.5 → 4, −2.5 → −2).
 */
export type RoundingMode = 'half_up' | 'truncate' | 'bankers';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half_up', 'truncate', 'bankers'];

export function isRoundingMode(value: string): value is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(value);
}

/** `numerator / denominator` as an integer, rounded by `mode`. Exact for any size (bigint). */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('divRound: the denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the sign of the numerator
  if (remainder === 0n || mode === 'truncate') return quotient;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return awayFromZero;
  if (twice < denominator) return quotient;
  // Exactly half.
  if (mode === 'half_up') return awayFromZero;
  return quotient % 2n === 0n ? quotient : awayFromZero;
}

/**
 * An amount past what a JavaScript number holds exactly (±(2^53 − 1) minor units): every input may be inside its
 * own limits while their product or sum is not (a price of 10^11 × a quantity of 10^5). It is the caller's input
 * that is too large, not a bug: the server answers it 422 `amount_too_large`. A `RangeError`, as every other
 * refusal of the money functions, so code that catches those catches this too.
 */
export class AmountTooLargeError extends RangeError {
  /** What was too large: `subtotal`, `total`, `lines[2] subtotal`… */
  readonly what: string;

  constructor(what: string) {
    super(`${what} is too large to handle exactly`);
    this.name = 'AmountTooLargeError';
    this.what = what;
  }
}

/**
 * Checks that a value is a safe integer, the only kind of number money may be: an integer past 2^53 is an
 * `AmountTooLargeError`, anything else that is not a whole number a `RangeError`.
 */
export function assertSafeInteger(value: number, what: string): void {
  if (Number.isSafeInteger(value)) return;
  if (Number.isInteger(value)) throw new AmountTooLargeError(what);
  throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/** A bigint result back to a number, refusing values past what a JavaScript number holds exactly. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new AmountTooLargeError(what);
  }
  return Number(value);
}

/**
 * `amount × numerator / denominator`, rounded by `mode`: a rate applied to money (basis points: denominator
 * 10,000). The product is taken at full precision before the one rounding.
 */
export function applyRatio(amount: number, numerator: number, denominator: number, mode: RoundingMode): number {
  assertSafeInteger(amount, 'amount');
  assertSafeInteger(numerator, 'numerator');
  assertSafeInteger(denominator, 'denominator');
  return toSafeNumber(divRound(BigInt(amount) * BigInt(numerator), BigInt(denominator), mode), 'result');
}

/** `amount` rounded to a multiple of `increment` (cash rounding to the smallest coin: increment 5 → 0.05). */
export function roundToIncrement(amount: number, increment: number, mode: RoundingMode): number {
  assertSafeInteger(amount, 'amount');
  if (!Number.isSafeInteger(increment) || increment < 1) throw new RangeError('increment must be a positive integer');
  return toSafeNumber(divRound(BigInt(amount), BigInt(increment), mode) * BigInt(increment), 'result');
}
