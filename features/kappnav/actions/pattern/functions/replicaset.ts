/**
 * `replicaset()` / `replicaset(<namespace>,<name>)` (kappnav-prism.md §3.6(f)): the name of a Deployment's
 * ReplicaSet, for the console's "View Replicas" URL.
 *
 * The reference took the first ReplicaSet of a cluster-wide list and failed with an uncaught error when
 * there was none (QUIRK fixes): this looks in the Deployment's namespace, prefers the ReplicaSets the
 * Deployment owns and among them its current revision, and has no value (a pattern error) when none exists.
 */
import { CORE_TYPES } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import { targetFunction } from './context-target.ts';
import { specSelectorString } from './label-selector.ts';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

function revisionOf(replicaSet: KubeObject): number {
  const revision = Number(replicaSet.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isFinite(revision) ? revision : -1;
}

function currentReplicaSet(deployment: KubeObject, replicaSets: KubeObject[]): KubeObject | undefined {
  const uid = deployment.metadata?.uid;
  const owned = uid
    ? replicaSets.filter((rs) => rs.metadata?.ownerReferences?.some((ref) => ref.uid === uid))
    : [];
  if (owned.length === 0) return replicaSets[0];
  return owned.reduce((best, rs) => (revisionOf(rs) > revisionOf(best) ? rs : best));
}

export const replicaset = targetFunction(
  'replicaset',
  CORE_TYPES.deployments,
  async (deployment, context) => {
    const namespace = deployment.metadata?.namespace;
    if (!namespace) return null;
    const labelSelector = specSelectorString(deployment);
    if (!labelSelector) return null;
    try {
      const replicaSets = await context.services.resources.list(CORE_TYPES.replicaSets, {
        namespace,
        labelSelector,
      });
      return currentReplicaSet(deployment, replicaSets)?.metadata?.name ?? null;
    } catch {
      return null;
    }
  },
);
