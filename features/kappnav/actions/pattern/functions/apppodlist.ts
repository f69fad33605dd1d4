/**
 * `apppodlist()` / `apppodlist(<namespace>,<name>)` (kappnav-prism.md §3.6(f)): the pods of the
 * Deployments an Application selects, kept to the Application's namespace, as `{"pods":[…]}`.
 */
import { CORE_TYPES } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import { targetFunction } from './context-target.ts';
import { specSelectorString } from './label-selector.ts';
import { selectedPodNames } from './podlist.ts';

function selectsDeployments(application: KubeObject): boolean {
  const kinds = (application['spec'] as { componentKinds?: unknown } | undefined)?.componentKinds;
  return (
    Array.isArray(kinds) && kinds.some((entry) => (entry as { kind?: unknown } | null)?.kind === 'Deployment')
  );
}

export const apppodlist = targetFunction(
  'apppodlist',
  CORE_TYPES.applications,
  async (application, context) => {
    // A Set de-duplicates by name; the reference dropped a pod whose name was a substring of one already
    // listed (`web` next to `web-2`), a QUIRK fixed here.
    const pods = new Set<string>();
    const labelSelector = specSelectorString(application);
    if (selectsDeployments(application) && labelSelector) {
      // Listing failures leave that part out, as in the reference: the list is a convenience for the UI.
      const deployments = await context.services.resources
        .list(CORE_TYPES.deployments, { labelSelector })
        .catch((): KubeObject[] => []);
      for (const deployment of deployments) {
        const names = await selectedPodNames(deployment, application.metadata?.namespace, context).catch(
          (): string[] => [],
        );
        for (const name of names) pods.add(name);
      }
    }
    return JSON.stringify({ pods: [...pods] });
  },
);
