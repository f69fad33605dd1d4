/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges: [lo0, hi0, lo1, hi1, …].
 * RE2 matches runes (code points), so every set lives in 0 … 0x10FFFF.
 */
export type CharSet = readonly number[];

export const MAX_CODE_POINT = 0x10ffff;

/** Sorts and merges ranges given in any order, overlapping or touching. */
export function normalize(ranges: readonly number[]): CharSet {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && lo <= merged[last]! + 1) merged[last] = Math.max(merged[last]!, hi);
    else merged.push(lo, hi);
  }
  return merged;
}

export function single(codePoint: number): CharSet {
  return [codePoint, codePoint];
}

export function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat());
}

export function complement(set: CharSet): CharSet {
  const result: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) result.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) result.push(next, MAX_CODE_POINT);
  return result;
}

export const ANY: CharSet = [0, MAX_CODE_POINT];
