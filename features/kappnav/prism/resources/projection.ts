/**
 * Shared pieces of the prism objects, which are projections of cluster objects: the kAppNav status
 * fields, the metadata carried over from the underlying object, and stable derived uids.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import type { FlyoverNls, KappnavStatus } from '../../status/kappnav-status.ts';
import { stringList, string, type JsonSchema } from '../../../../aggregated-api/resource/json-schema.ts';
import type { Column } from '../../../../aggregated-api/table/table.ts';

/** kubectl's copy of the last applied manifest: noise in a derived object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface StatusFields {
  value: string;
  flyover: string;
  /** The flyover's NLS form (`kappnav.status.flyover.nls`): a key, or a key and its arguments. */
  flyoverNls?: FlyoverNls;
}

export function statusFields(status: KappnavStatus): StatusFields {
  const nls = status['flyover.nls'];
  return { value: status.value, flyover: status.flyover, ...(nls === undefined ? {} : { flyoverNls: nls }) };
}

export const STATUS_FIELD_SCHEMAS: Record<keyof StatusFields, JsonSchema> = {
  value: string(
    'The kAppNav status value: Normal, Warning, Problem, Unknown, or a value kappnav-config adds.',
  ),
  flyover: string('The English hover text explaining the status.'),
  flyoverNls: {
    description: 'The hover text for translation: an NLS key, or a list of the key and its arguments.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
};

export const PROBLEMS_SCHEMA = stringList(
  'Parts of the underlying objects that were ignored, one sentence each.',
);

/** Labels and annotations of `source`, without kubectl's last-applied copy. */
export function carriedMetadata(source: KubeObject): Pick<ObjectMeta, 'labels' | 'annotations'> {
  const { labels, annotations } = source.metadata ?? {};
  const kept = annotations
    ? Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED))
    : {};
  return {
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(kept).length > 0 ? { annotations: kept } : {}),
  };
}

/** A UUID-shaped uid derived from stable parts, the same on every replica and every recomputation. */
export function derivedUid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `Kind.group` as kubectl writes a kind (`Deployment.apps`), the bare kind for the core group. */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

/** The group of an object's apiVersion (`apps/v1` → `apps`, `v1` → the core group ''). */
export function groupOf(object: Pick<KubeObject, 'apiVersion'>): string {
  const apiVersion = object.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The STATUS column (default view) over an object's status fields. */
export function statusColumn<T extends KubeObject>(read: (object: T) => StatusFields): Column<T> {
  return {
    name: 'Status',
    type: 'string',
    format: '',
    description: STATUS_FIELD_SCHEMAS.value.description!,
    priority: 0,
    cell: (object) => read(object).value,
  };
}

/** The FLYOVER column, a `-o wide` column unless `priority` says otherwise. */
export function flyoverColumn<T extends KubeObject>(
  read: (object: T) => StatusFields,
  priority = 1,
): Column<T> {
  return {
    name: 'Flyover',
    type: 'string',
    format: '',
    description: STATUS_FIELD_SCHEMAS.flyover.description!,
    priority,
    cell: (object) => read(object).flyover,
  };
}

/** Showing an object of `type` needs `list` on its resource where it lives. */
export function objectReadRequirement(
  type: Pick<ResourceType, 'group' | 'resource' | 'namespaced'>,
  namespace: string | undefined,
): ReadRequirement {
  return {
    group: type.group,
    resource: type.resource,
    ...(type.namespaced && namespace ? { namespace } : {}),
  };
}
