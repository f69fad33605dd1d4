/**
 * `podlist()` / `podlist(<namespace>,<name>)` (kappnav-prism.md §3.6(f)): the pods a Deployment's selector
 * selects in its namespace, as `{"pods":["p1",…]}`.
 */
import { CORE_TYPES } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import type { ResolutionContext } from '../language/resolution-context.ts';
import { targetFunction } from './context-target.ts';
import { specSelectorString } from './label-selector.ts';

/** Names of the pods `workload.spec.selector` selects in `namespace`; none for an empty selector. */
export async function selectedPodNames(
  workload: KubeObject,
  namespace: string | undefined,
  context: ResolutionContext,
): Promise<string[]> {
  const labelSelector = specSelectorString(workload);
  if (!labelSelector || !namespace) return [];
  const pods = await context.services.resources.list(CORE_TYPES.pods, { namespace, labelSelector });
  return pods.map((pod) => pod.metadata?.name).filter((name): name is string => typeof name === 'string');
}

export const podlist = targetFunction('podlist', CORE_TYPES.deployments, async (deployment, context) => {
  try {
    return JSON.stringify({
      pods: await selectedPodNames(deployment, deployment.metadata?.namespace, context),
    });
  } catch {
    return null;
  }
});
