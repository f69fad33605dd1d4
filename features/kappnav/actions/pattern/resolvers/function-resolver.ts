/**
 * `${func.<name>(<p1>,…)}` (kappnav-prism.md §3.6(e)): one of the built-in functions, with its parameters
 * resolved first. A parameter that does not resolve fully leaves the function without a value.
 */
import { tokenizeCall } from '../language/call-tokenizer.ts';
import { apppodlist } from '../functions/apppodlist.ts';
import type { BuiltinFunction } from '../functions/builtin-function.ts';
import { kubectlGet } from '../functions/kubectl-get.ts';
import { podlist } from '../functions/podlist.ts';
import { replicaset } from '../functions/replicaset.ts';
import { patternErrors } from '../language/pattern-error.ts';
import type { Resolver } from '../language/resolution-context.ts';

const FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(
  [podlist, apppodlist, replicaset, kubectlGet].map((fn) => [fn.name, fn]),
);

export const resolveFunction: Resolver = async (suffix, context) => {
  const call = tokenizeCall(suffix);
  if (!call) throw patternErrors.functionNameMissing(suffix);
  const fn = FUNCTIONS.get(call.name);
  if (!fn || !fn.acceptsParameterCount(call.parameters.length))
    throw patternErrors.noMatchingFunction(suffix);
  const parameters: string[] = [];
  for (const parameter of call.parameters) {
    const resolved = await context.resolve(parameter);
    if (!resolved.fullyResolved) return null;
    parameters.push(resolved.value);
  }
  return fn.invoke(parameters, context);
};
