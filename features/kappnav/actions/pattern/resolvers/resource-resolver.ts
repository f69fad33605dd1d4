/** `${resource.<jsonpath>}` (kappnav-prism.md §3.6(e)): a primitive of the resource, by the JSONPath subset. */
import { parseJsonPath, resolveLeaf } from '../../../model/jsonpath-subset.ts';
import { patternErrors } from '../language/pattern-error.ts';
import type { Resolver } from '../language/resolution-context.ts';

export const resolveResource: Resolver = async (suffix, context) => {
  const steps = parseJsonPath(suffix);
  if (!steps) throw patternErrors.invalidResourcePath(suffix);
  return resolveLeaf(context.resource, steps);
};
