/**
 * The JSONPath subset kAppNav uses in `${resource.<path>}` action patterns and in `jsonpath` status
 * maps (kappnav-prism.md §3.6(e), §4.3, truth table §7.4): `$` followed by `.name` and/or `['name']`
 * steps. No indexes, filters, wildcards or recursive descent. The design's `{.phase}` form is not part of
 * it; status maps using it evaluate to Unknown. Parsed and read by prismgate's one JSONPath
 * (pkg/jsonpath), as its policy grammar restricted to names.
 */
import { parseKappnavPath } from '../../../pkg/jsonpath/parse.ts';
import { valueAt } from '../../../pkg/jsonpath/select.ts';

/** The member names of `path`, or null when `path` is not in the subset. `$` alone is the empty list. */
export function parseJsonPath(path: string): string[] | null {
  return parseKappnavPath(path) ?? null;
}

/**
 * The primitive at `steps` inside `root`, as text (numbers and booleans become text, as Gson's
 * getAsString does); null for a missing member, an object, an array, JSON null, or an empty path.
 */
export function resolveLeaf(root: unknown, steps: string[]): string | null {
  if (steps.length === 0) return null;
  const node = valueAt(root, steps);
  return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
    ? String(node)
    : null;
}
