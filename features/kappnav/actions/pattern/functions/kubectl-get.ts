/**
 * `kubectlGet(<arg1>,…)` (kappnav-prism.md §3.6(f)): what `kubectl get <arg1> …` would print, served by a
 * get or list through the resource reader rather than by running kubectl. The namespace defaults to the
 * kappnav namespace, as for the reference's kubectl running in-cluster under kappnav's service account.
 */
import type { ResourceType } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import { patternErrors } from '../language/pattern-error.ts';
import type { ResolutionContext } from '../language/resolution-context.ts';
import type { BuiltinFunction } from './builtin-function.ts';
import { parseKubectlGetArgs, type KubectlGetRequest } from './kubectl-get-args.ts';
import { renderKubectlOutput } from './kubectl-output.ts';

/** kubectl prints list items with their apiVersion and kind even when the API server's list omits them. */
function withTypeMeta(type: ResourceType, object: KubeObject): KubeObject {
  return {
    apiVersion: object.apiVersion ?? (type.group ? `${type.group}/${type.version}` : type.version),
    kind: object.kind ?? type.kind,
    ...object,
  };
}

async function fetchObjects(
  request: KubectlGetRequest,
  type: ResourceType,
  context: ResolutionContext,
): Promise<KubeObject[]> {
  const { resources, kappnavNamespace } = context.services;
  const namespace =
    !type.namespaced || request.allNamespaces ? undefined : (request.namespace ?? kappnavNamespace);
  if (request.names.length === 0)
    return resources.list(type, { namespace, labelSelector: request.labelSelector });
  const objects: KubeObject[] = [];
  for (const name of request.names) {
    const object = await resources.get(type, namespace, name);
    if (!object) throw new Error(`${type.resource} "${name}" not found`);
    objects.push(object);
  }
  return objects;
}

/** kubectl's output for the argument vector; throws with the reason it cannot be served. */
async function serve(parameters: string[], context: ResolutionContext): Promise<string> {
  const parsed = parseKubectlGetArgs(parameters);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { request } = parsed;
  const type = await context.services.resources.resolveType(request.type);
  if (!type) throw new Error(`the server doesn't have a resource type "${request.type}"`);
  const objects = await fetchObjects(request, type, context);
  return renderKubectlOutput(
    request.output,
    type,
    objects.map((object) => withTypeMeta(type, object)),
    request.single,
  );
}

export const kubectlGet: BuiltinFunction = {
  name: 'kubectlGet',
  acceptsParameterCount: (count) => count > 0,
  async invoke(parameters, context) {
    try {
      return await serve(parameters, context);
    } catch (error) {
      throw patternErrors.kubectlGetFailed(
        parameters,
        error instanceof Error ? error.message : String(error),
      );
    }
  },
};
