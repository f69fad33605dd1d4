/**
 * `${var.<name>}` and `${var.<name>,default.<text>}` (kappnav-prism.md §3.6(e)): the variable's pattern
 * from the merged action map, resolved once per context and cached, with cycle detection and an optional
 * default used whenever the variable cannot be resolved.
 */
import { actionMapEntry } from '../language/action-map-entry.ts';
import { PatternError, patternErrors } from '../language/pattern-error.ts';
import type { ResolutionContext, Resolver } from '../language/resolution-context.ts';

/** `name,default.x.y` → name and `x.y`: everything up to the first `.` after the comma is dropped. */
function splitDefault(suffix: string): { name: string; fallback: string | undefined } {
  const comma = suffix.indexOf(',');
  if (comma < 0) return { name: suffix, fallback: undefined };
  const rest = suffix.slice(comma + 1);
  return { name: suffix.slice(0, comma), fallback: rest.slice(rest.indexOf('.') + 1) };
}

/** The variable's value, or the reason it has none (a PatternError). */
async function resolveVariable(name: string, context: ResolutionContext): Promise<string> {
  const cached = context.resolvedVariables.get(name);
  if (cached !== undefined) return cached;
  if (context.visitingVariables.has(name)) throw patternErrors.variableCycle(name);
  const entry = actionMapEntry(context.actionMap, 'variables', name);
  if (!entry.dictionary) throw patternErrors.variableUnresolved(name);
  if (entry.value === undefined) throw patternErrors.notInDictionary('variables', name);
  context.visitingVariables.add(name);
  try {
    const resolved = await context.resolve(entry.value);
    if (!resolved.fullyResolved) throw patternErrors.variableUnresolved(name);
    context.resolvedVariables.set(name, resolved.value);
    return resolved.value;
  } finally {
    // Also on failure: the reference left a failed variable on its visiting stack, so a later reference
    // to it reported a cycle that did not exist (QUIRK fix).
    context.visitingVariables.delete(name);
  }
}

export const resolveVar: Resolver = async (suffix, context) => {
  const { name, fallback } = splitDefault(suffix);
  try {
    return await resolveVariable(name, context);
  } catch (error) {
    // The default covers every way the variable can fail, including a `variables` map that lacks it,
    // where the reference threw before looking at the default (QUIRK fix).
    if (fallback !== undefined && error instanceof PatternError) return fallback;
    throw error;
  }
};
