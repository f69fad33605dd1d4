/**
 * get and list of a readable resource, with kube-apiserver's resourceVersion semantics over the store:
 *   list, no resourceVersion               the current state, paginated by limit/continue
 *   list, resourceVersion=0                the current state, whole (the watch cache ignores limit then)
 *   list, resourceVersion=N                the current state once it is at least N (waits up to 3 s, then
 *                                          504); with a limit and no resourceVersionMatch, the state at N
 *   list, resourceVersionMatch=Exact       the state at N, while the change log reaches back to it, else 410
 *   list, continue                         the next page of the state the token names; 410 with a new
 *                                          token (to carry on at the latest state) once that is gone
 *   get, resourceVersion=N                 the object once the state is at least N (3 s, then 504)
 * A page says how many objects remain (remainingItemCount) when the list has no label or field selector.
 */
import { objectKey, type KubeObject } from '../../pkg/kube/types.ts';
import type { User } from '../../server/delegated-auth/user.ts';
import { forbidden } from '../../server/delegated-auth/access-review.ts';
import type { ListOptions } from '../request/list-options.ts';
import { listResourceVersionOf, resourceVersionOf } from '../request/resource-version.ts';
import { badRequest, expired, notFound } from '../../server/api-error.ts';
import type { RevisionClock } from '../store/revision-clock.ts';
import type { Snapshot } from '../store/versioned-store.ts';
import { after, decodeContinue, encodeContinue } from './continue-token.ts';
import type { ObjectFilter } from '../resource/object-filter.ts';
import type { ReadableResource } from '../resource/served-resource.ts';

const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

interface Start<T extends KubeObject> {
  snapshot: Snapshot<T>;
  /** Objects before this key are skipped (the page after a continue token). */
  from?: string;
  /** Whether the list is paginated at all (resourceVersion=0 is not). */
  paginated: boolean;
}

function exactState<T extends KubeObject>(resource: ReadableResource<T>, revision: bigint): Snapshot<T> {
  const snapshot = resource.store.stateAt(Number(revision));
  if (!snapshot) throw expired(EXPIRED_LIST);
  return snapshot;
}

async function startOf<T extends KubeObject>(
  resource: ReadableResource<T>,
  options: ListOptions,
  clock: RevisionClock,
): Promise<Start<T>> {
  if (options.continueToken) {
    const position = decodeContinue(options.continueToken);
    if (options.resourceVersion !== '' && options.resourceVersion !== '0')
      throw badRequest('specifying resource version is not allowed when using continue');
    if (position.revision < 0)
      return { snapshot: resource.store.snapshot(), from: position.start, paginated: true };
    const snapshot = resource.store.stateAt(position.revision);
    if (!snapshot)
      throw expired(INCONSISTENT_CONTINUE, encodeContinue({ revision: -1, start: position.start }));
    return { snapshot, from: position.start, paginated: true };
  }
  const requested = listResourceVersionOf(options.resourceVersion);
  if (requested === undefined) return { snapshot: resource.store.snapshot(), paginated: true };
  if (options.resourceVersion === '0') return { snapshot: resource.store.snapshot(), paginated: false };
  await clock.awaitReached(requested);
  const exact =
    options.resourceVersionMatch === 'Exact' || (options.resourceVersionMatch === '' && options.limit > 0);
  return { snapshot: exact ? exactState(resource, requested) : resource.store.snapshot(), paginated: true };
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export async function listObjects<T extends KubeObject>(
  resource: ReadableResource<T>,
  options: ListOptions,
  filter: ObjectFilter<T>,
  clock: RevisionClock,
): Promise<ListResult<T>> {
  const { snapshot, from, paginated } = await startOf(resource, options, clock);
  const keyOf = (object: T) => objectKey(object.metadata?.namespace, object.metadata?.name);
  const limit = paginated && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  const items: T[] = [];
  let start = 0;
  if (from !== undefined)
    while (start < snapshot.items.length && keyOf(snapshot.items[start]!) < from) start++;
  for (let i = start; i < snapshot.items.length; i++) {
    const object = snapshot.items[i]!;
    if (!(await filter.admits(object))) continue;
    if (items.length === limit) {
      resource.store.retain(snapshot);
      const remaining = filter.hasSelectors() ? undefined : await countAdmitted(snapshot.items, i, filter);
      return {
        items,
        resourceVersion: String(snapshot.revision),
        continue: encodeContinue({
          revision: snapshot.revision,
          start: after(keyOf(items[items.length - 1]!)),
        }),
        ...(remaining !== undefined ? { remainingItemCount: remaining } : {}),
      };
    }
    items.push(object);
  }
  return { items, resourceVersion: String(snapshot.revision) };
}

/** How many of `items` from `start` on the request would see (the next pages' objects). */
async function countAdmitted<T extends KubeObject>(
  items: readonly T[],
  start: number,
  filter: ObjectFilter<T>,
): Promise<number> {
  let count = 0;
  for (let i = start; i < items.length; i++) if (await filter.admits(items[i]!)) count++;
  return count;
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
  resourceVersion = '',
): Promise<T> {
  const requested = resourceVersionOf(resourceVersion);
  if (requested !== undefined && requested > 0n) await clock.awaitReached(requested);
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
