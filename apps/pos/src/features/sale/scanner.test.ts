import { expect, test } from 'vitest';
import { ScanDetector } from './scanner.ts';

/** Types `text` (then Enter) `gapMs` apart from `start`; returns what the Enter gave. */
function type(d: ScanDetector, text: string, gapMs: number, start = 1000): string | undefined {
  const keys = [...Array.from(text), 'Enter'];
  let out: string | undefined;
  keys.forEach((k, i) => {
    out = d.key(k, start + i * gapMs);
  });
  return out;
}

test('a fast burst ending in Enter is a scan', () => {
  expect(type(new ScanDetector(), '2000000000015', 5)).toBe('2000000000015');
});

test('a person typing the same keys is not a scan', () => {
  expect(type(new ScanDetector(), '2000000000015', 120)).toBeUndefined();
});

test('a short burst is not a scan, and a pause starts a new burst', () => {
  expect(type(new ScanDetector(), 'abc', 5)).toBeUndefined();
  const d = new ScanDetector();
  d.key('9', 0);
  d.key('9', 5);
  expect(type(d, '12345678', 5, 10_000)).toBe('12345678');
});
