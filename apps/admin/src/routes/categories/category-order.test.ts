import { describe, expect, it } from 'vitest';
import { moveCategory, nameProblem, parsePosition } from './category-order.ts';

describe('category order', () => {
  it('gives the whole list in its new order, whatever the positions (ties included)', () => {
    const list = [
      { id: 'a', position: 0 },
      { id: 'b', position: 0 },
      { id: 'c', position: 30 },
    ];
    expect(moveCategory(list, 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveCategory(list, 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveCategory(list, 'a', 1)).toEqual(['b', 'a', 'c']);
  });

  it('does nothing past either end or for an unknown id', () => {
    const list = [
      { id: 'a', position: 0 },
      { id: 'b', position: 10 },
    ];
    expect(moveCategory(list, 'a', -1)).toBeNull();
    expect(moveCategory(list, 'b', 1)).toBeNull();
    expect(moveCategory(list, 'z', 1)).toBeNull();
  });

  it('reads positions and names as the server checks them', () => {
    expect(parsePosition('')).toBeUndefined();
    expect(parsePosition(' 42 ')).toBe(42);
    expect(parsePosition('-1000000')).toBe(-1_000_000);
    expect(parsePosition('1000001')).toBeNull();
    expect(parsePosition('1.5')).toBeNull();
    expect(parsePosition('ten')).toBeNull();
    expect(nameProblem('  ')).toBe('Enter a name.');
    expect(nameProblem('x'.repeat(201))).toContain('200');
    expect(nameProblem(' Drinks ')).toBeUndefined();
  });
});
