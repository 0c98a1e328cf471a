import { InvalidArgumentError } from 'commander';

/** A command used wrongly (a missing password, two sources for one): exit code 2, like a bad option. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of `novapos`: 0 done, 1 failed, 2 used wrongly (an option, an argument, a missing input). */
export const EXIT_USAGE = 2;

/** A whole number from `min` to `max`, for an option's parser: `--limit abc` is refused before anything runs. */
export function wholeNumber(min: number, max: number, what = 'a whole number'): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${what} from ${min} to ${max}`);
    }
    return n;
  };
}
