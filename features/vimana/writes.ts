/**
 * The requests prismgate makes to write Vimana objects, and how their failures are read: a status by
 * server-side apply (its own field manager, never `force`), finalizers by a JSON merge patch guarded by
 * the resourceVersion they were read from.
 */
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { collectionPath, objectPath } from '../../pkg/kube/resource-type.ts';
import { sameJson } from '../../pkg/json/json-value.ts';
import type { KubeList } from '../../pkg/kube/types.ts';
import { readPath } from './fields.ts';
import {
  finalizerMergePatch,
  PROTECTION_FIELD_MANAGER,
  releasePatch,
  type FinalizerPatch,
} from './protection.ts';
import type { WriteResult } from './reconciler.ts';
import { VIMANA_RESOURCES, VIMANA_VERSION } from './resource-types.ts';
import { STATUS_FIELD_MANAGER } from './status-fields.ts';
import type { StatusApply, StatusRemoval } from './status-writer.ts';
import { VIMANA_GROUP, VIMANA_KINDS, type VimanaObject } from './types.ts';

/**
 * What a failed write means: 404, the object (or its status subresource) is gone; 409 naming fields, they
 * are held by another field manager; any other 409, the object changed since it was read; 422, the API
 * server refused the content. Anything else is thrown, so the pass is retried.
 */
export function writeFailure(error: unknown): WriteResult {
  if (!(error instanceof KubeApiError)) throw error;
  const causes = error.status?.details?.causes ?? [];
  switch (error.code) {
    case 404:
      return { outcome: 'gone' };
    case 409:
      return causes.some((cause) => cause.reason === 'FieldManagerConflict')
        ? { outcome: 'conflict', message: error.status?.message }
        : { outcome: 'stale' };
    case 422:
      return { outcome: 'invalid', message: error.status?.message };
    default:
      throw error;
  }
}

/**
 * The fields of an applied status that the stored object (the API server's answer) does not hold as
 * applied: what the schema the API server serves pruned.
 */
export function prunedFields(applied: Record<string, unknown>, stored: unknown): string[] {
  const status = readPath(stored, 'status');
  return Object.entries(applied).flatMap(([field, value]) => {
    if (field !== 'conditions') return sameJson(readPath(status, field), value) ? [] : [field];
    const kept = readPath(status, 'conditions');
    const missing = (value as unknown[]).filter(
      (entry) => !(Array.isArray(kept) && kept.some((candidate: unknown) => sameJson(candidate, entry))),
    );
    return missing.length === 0 ? [] : ['conditions'];
  });
}

/** Server-side apply of prismgate's part of a status, without force. */
export async function applyStatus(client: KubeClient, apply: StatusApply): Promise<WriteResult> {
  const { kind, namespace, name, resourceVersion, status } = apply;
  try {
    const stored = await client.request(
      'PATCH',
      objectPath(VIMANA_RESOURCES[kind], namespace, name, 'status'),
      {
        body: {
          apiVersion: `${VIMANA_GROUP}/${VIMANA_VERSION}`,
          kind,
          metadata: { name, namespace, resourceVersion },
          // Nothing to own: the apply leaves `status` out, so all prismgate held there is let go. (An empty
          // `status: {}` would make the API server store status as null, which the schema refuses.)
          ...(Object.keys(status).length > 0 && { status }),
        },
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: STATUS_FIELD_MANAGER },
      },
    );
    const pruned = prunedFields(status, stored);
    return pruned.length === 0
      ? { outcome: 'applied' }
      : { outcome: 'pruned', message: `the served schema pruned ${pruned.join(', ')}` };
  } catch (error) {
    return writeFailure(error);
  }
}

/** Takes out of a status what prismgate no longer holds: a merge patch guarded by the version it read. */
export async function removeStatusFields(client: KubeClient, removal: StatusRemoval): Promise<WriteResult> {
  const { kind, namespace, name, resourceVersion, status } = removal;
  try {
    await client.request('PATCH', objectPath(VIMANA_RESOURCES[kind], namespace, name, 'status'), {
      body: { metadata: { resourceVersion }, status },
      contentType: 'application/merge-patch+json',
      query: { fieldManager: STATUS_FIELD_MANAGER },
    });
    return { outcome: 'applied' };
  } catch (error) {
    return writeFailure(error);
  }
}

/** Sets an object's finalizers (a merge patch of the whole list, guarded by its resourceVersion). */
export async function patchFinalizers(client: KubeClient, patch: FinalizerPatch): Promise<WriteResult> {
  try {
    await client.request('PATCH', objectPath(VIMANA_RESOURCES[patch.kind], patch.namespace, patch.name), {
      body: finalizerMergePatch(patch),
      contentType: 'application/merge-patch+json',
      query: { fieldManager: PROTECTION_FIELD_MANAGER },
    });
    return { outcome: 'applied' };
  } catch (error) {
    return writeFailure(error);
  }
}

/** How often a release is tried again after the object changed between read and write. */
const RELEASE_ATTEMPTS = 5;

/**
 * Takes prismgate's finalizer off every Vimana object of the cluster, read fresh from the API server (not
 * from a cache that may trail it): the uninstall step, and `prismgate release-finalizers`. Answers how
 * many objects it released.
 */
export async function releaseAllFinalizers(client: KubeClient): Promise<number> {
  let released = 0;
  for (const kind of VIMANA_KINDS) {
    const type = VIMANA_RESOURCES[kind];
    for (let attempt = 0; attempt < RELEASE_ATTEMPTS; attempt += 1) {
      let list: KubeList<VimanaObject>;
      try {
        list = await client.request<KubeList<VimanaObject>>('GET', collectionPath(type));
      } catch (error) {
        // A kind whose CRD is not installed has no objects to release.
        if (error instanceof KubeApiError && error.code === 404) break;
        throw error;
      }
      let stale = 0;
      for (const object of list.items) {
        const target = {
          kind,
          namespace: object.metadata?.namespace ?? '',
          name: object.metadata?.name ?? '',
        };
        const patch = releasePatch(target, object);
        if (!patch) continue;
        const result = await patchFinalizers(client, patch);
        if (result.outcome === 'applied') released += 1;
        if (result.outcome === 'stale') stale += 1;
      }
      if (stale === 0) break;
    }
  }
  return released;
}
