import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './nesting-depth.ts';

/** `depth` levels of `{"a": …}` around a number, parsed (JSON.parse reads any depth). */
const nested = (depth: number, open = '{"a":', close = '}') =>
  JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`) as unknown;

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, the outermost as level 1', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan(nested(3), 3)).toBe(false);
    expect(nestsDeeperThan(nested(4), 3)).toBe(true);
    expect(nestsDeeperThan(nested(4, '[', ']'), 3)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: [1, { c: [] }], d: null }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: 1, b: [1, { c: [] }], d: null }, 3)).toBe(true);
  });

  it('answers for depths that would overflow a recursive walk', () => {
    expect(nestsDeeperThan(nested(200_000), 1000)).toBe(true);
    expect(nestsDeeperThan(nested(200_000, '[', ']'), 200_000)).toBe(false);
  });
});
