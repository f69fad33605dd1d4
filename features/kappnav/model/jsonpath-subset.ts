/**
 * The JSONPath subset kAppNav uses in `${resource.<path>}` action patterns and in `jsonpath` status
 * maps (kappnav-prism.md §3.6(e), §4.3, truth table §7.4): `$` followed by `.name` and/or `['name']`
 * steps. No indexes, filters, wildcards or recursive descent. The design's `{.phase}` form is not part of
 * it; status maps using it evaluate to Unknown.
 */

const STEP = /^(?:\.([^.[\]']+)|\['([^']+)'\])/;

/** The member names of `path`, or null when `path` is not in the subset. `$` alone is the empty list. */
export function parseJsonPath(path: string): string[] | null {
  if (!path.startsWith('$')) return null;
  const steps: string[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) return null;
    steps.push((match[1] ?? match[2])!);
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/**
 * The primitive at `steps` inside `root`, as text (numbers and booleans become text, as Gson's
 * getAsString does); null for a missing member, an object, an array, JSON null, or an empty path.
 */
export function resolveLeaf(root: unknown, steps: string[]): string | null {
  if (steps.length === 0) return null;
  let node: unknown = root;
  for (const step of steps) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step))
      return null;
    node = (node as Record<string, unknown>)[step];
  }
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
    ? String(node)
    : null;
}
