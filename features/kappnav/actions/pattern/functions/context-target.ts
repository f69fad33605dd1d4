/**
 * The object a zero-or-two-parameter function works on: the context resource when it is of the expected
 * kind (`f()`), or the named object (`f(<namespace>,<name>)`). The reference passed the two parameters to
 * the lookup in the wrong order for Deployments, so `podlist(ns,name)` and `replicaset(ns,name)` never
 * found anything (QUIRK fix); lookup failures count as "no object".
 */
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import type { ResourceType } from '../../../../../pkg/kube/resource-type.ts';
import type { ResolutionContext } from '../language/resolution-context.ts';
import type { BuiltinFunction } from './builtin-function.ts';

async function contextTarget(
  type: ResourceType,
  parameters: string[],
  context: ResolutionContext,
): Promise<KubeObject | undefined> {
  if (parameters.length === 0) return context.resource.kind === type.kind ? context.resource : undefined;
  const [namespace, name] = parameters;
  if (!namespace || !name) return undefined;
  try {
    return await context.services.resources.get(type, namespace, name);
  } catch {
    return undefined;
  }
}

function acceptsNoneOrTwo(count: number): boolean {
  return count === 0 || count === 2;
}

/** A function of no or two parameters, of the object of `type` it targets; without one it has no value. */
export function targetFunction(
  name: string,
  type: ResourceType,
  invoke: (target: KubeObject, context: ResolutionContext) => Promise<string | null>,
): BuiltinFunction {
  return {
    name,
    acceptsParameterCount: acceptsNoneOrTwo,
    async invoke(parameters, context) {
      const target = await contextTarget(type, parameters, context);
      return target ? invoke(target, context) : null;
    },
  };
}
