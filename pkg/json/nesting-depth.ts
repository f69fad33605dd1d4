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

/**
 * Whether `value` has objects or arrays nested more than `limit` levels (the outermost is level 1). It runs
 * on every request body, so it walks with one explicit stack of containers and their levels, and reads
 * children in place (`for…in`, indices) rather than copying each object's values into an array.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit < 1) return true;
  const containers: object[] = [value];
  const levels: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop()!;
    const childLevel = levels.pop()! + 1;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const child: unknown = container[i];
        if (typeof child !== 'object' || child === null) continue;
        if (childLevel > limit) return true;
        containers.push(child);
        levels.push(childLevel);
      }
    } else {
      const record = container as Record<string, unknown>;
      for (const key in record) {
        const child = record[key];
        if (typeof child !== 'object' || child === null) continue;
        if (childLevel > limit) return true;
        containers.push(child);
        levels.push(childLevel);
      }
    }
  }
  return false;
}
