/**
 * get and list of a readable resource, with kube-apiserver's resourceVersion semantics over the store:
 *   list, no resourceVersion or "0"      the current state
 *   list, resourceVersion=N              the current state once it is at least N (waits up to 3 s, then 504)
 *   list, resourceVersionMatch=Exact     only N itself: the current state if nothing changed since, else 410
 *   list, limit/continue                 pages of one snapshot; 410 once the snapshot is no longer kept
 */
import { objectKey, type KubeObject } from '../../pkg/kube/types.ts';
import type { User } from '../authn/user.ts';
import { forbidden } from '../authz/request-attributes.ts';
import type { ListOptions } from '../request/list-options.ts';
import { expired, notFound, resourceVersionTooLarge } from '../../server/api-error.ts';
import type { RevisionClock } from '../store/revision-clock.ts';
import type { Snapshot } from '../store/versioned-store.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import type { ObjectFilter } from '../resource/object-filter.ts';
import type { ReadableResource } from '../resource/served-resource.ts';

async function snapshotFor<T extends KubeObject>(
  resource: ReadableResource<T>,
  options: ListOptions,
  clock: RevisionClock,
): Promise<{ snapshot: Snapshot<T>; after?: string }> {
  if (options.continueToken) {
    const position = decodeContinue(options.continueToken);
    const snapshot = resource.store.snapshotAt(position.revision);
    if (!snapshot)
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    return { snapshot, after: position.after };
  }
  const requested = options.resourceVersion === '' ? 0 : Number(options.resourceVersion);
  if (requested > 0 && !(await clock.reached(requested)))
    throw resourceVersionTooLarge(options.resourceVersion);
  const snapshot = resource.store.snapshot();
  if (options.resourceVersionMatch === 'Exact' && requested !== snapshot.revision)
    throw expired(`too old resource version: ${requested} (${snapshot.revision})`);
  return { snapshot };
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export async function listObjects<T extends KubeObject>(
  resource: ReadableResource<T>,
  options: ListOptions,
  filter: ObjectFilter<T>,
  clock: RevisionClock,
): Promise<ListResult<T>> {
  const { snapshot, after } = await snapshotFor(resource, options, clock);
  const keyOf = (object: T) => objectKey(object.metadata?.namespace, object.metadata?.name);
  const items: T[] = [];
  let start = 0;
  if (after !== undefined)
    while (start < snapshot.items.length && keyOf(snapshot.items[start]!) <= after) start++;
  for (let i = start; i < snapshot.items.length; i++) {
    const object = snapshot.items[i]!;
    if (!(await filter.admits(object))) continue;
    if (options.limit > 0 && items.length === options.limit) {
      resource.store.retain(snapshot);
      return {
        items,
        resourceVersion: String(snapshot.revision),
        continue: encodeContinue({ revision: snapshot.revision, after: keyOf(items[items.length - 1]!) }),
      };
    }
    items.push(object);
  }
  return { items, resourceVersion: String(snapshot.revision) };
}

/** A stored object, or one computed on demand, which then carries the current resourceVersion. */
async function find<T extends KubeObject>(
  resource: ReadableResource<T>,
  namespace: string | undefined,
  name: string,
  clock: RevisionClock,
): Promise<T | undefined> {
  const stored = resource.store.get(namespace, name);
  if (stored) return stored;
  const computed = await resource.lookup?.(namespace, name);
  return (
    computed && { ...computed, metadata: { ...computed.metadata, resourceVersion: String(clock.current) } }
  );
}

export async function getObject<T extends KubeObject>(
  group: string,
  resource: ReadableResource<T>,
  namespace: string | undefined,
  name: string,
  filter: ObjectFilter<T>,
  user: User,
  clock: RevisionClock,
): Promise<T> {
  const { definition } = resource;
  const object = await find(resource, namespace, name, clock);
  if (!object) throw notFound({ group, resource: definition.resource }, name);
  const denial = await filter.denial(object);
  if (denial)
    throw forbidden(user.name, { resource: denial.attributes }, denial.reason, {
      verb: 'get',
      group,
      resource: definition.resource,
      name,
    });
  return object;
}
