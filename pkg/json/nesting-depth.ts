/**
 * How deeply parsed JSON nests. `JSON.parse` reads any depth, but much of what handles the value afterwards
 * recurses (structuredClone, JSON.stringify, JSON Patch diffs, schema walks) and overflows the stack
 * somewhere between 2,000 and 5,000 levels, turning a client's odd body into a server error. Servers
 * therefore refuse deeper bodies before anything else touches them; the check itself does not recurse.
 */

/**
 * Deepest nesting a server accepts: far beyond any Kubernetes object (their schemas nest a few dozen
 * levels), and half of where the first recursive step (structuredClone) overflows.
 */
export const MAX_NESTING_DEPTH = 1000;

/** Whether `value` has objects or arrays nested more than `limit` levels (the outermost is level 1). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: unknown[] = [value];
  const levels: number[] = [1];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const level = levels.pop()!;
    if (typeof next !== 'object' || next === null) continue;
    if (level > limit) return true;
    for (const child of Array.isArray(next) ? next : Object.values(next)) {
      if (typeof child !== 'object' || child === null) continue;
      pending.push(child);
      levels.push(level + 1);
    }
  }
  return false;
}
