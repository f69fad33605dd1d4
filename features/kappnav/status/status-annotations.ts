/**
 * Where kAppNav status is stored: three annotations on the resource or application (kappnav-prism.md
 * §2.7, §4.5), `kappnav.status.flyover.nls` holding the NLS array or key as JSON text.
 *
 * QUIRK fixed: the Go controller rewrote the annotations only when the value changed, so a new flyover
 * ("Desired: 3, Available: 2" after "Desired: 3, Available: 1") never reached the UI. We write whenever
 * the value, the flyover or its NLS form differs from what is stored, and nothing when all three match.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { KappnavStatus } from './kappnav-status.ts';

export const STATUS_VALUE_ANNOTATION = 'kappnav.status.value';
export const STATUS_FLYOVER_ANNOTATION = 'kappnav.status.flyover';
export const STATUS_FLYOVER_NLS_ANNOTATION = 'kappnav.status.flyover.nls';

export type Annotations = Readonly<Record<string, string>> | undefined;

/** Annotations to add or overwrite, and annotations to remove. */
export interface AnnotationChange {
  set: Record<string, string>;
  remove: string[];
}

/** The annotations that store `status`; no flyover.nls annotation when the status has no NLS form. */
export function statusAnnotations(status: KappnavStatus): Record<string, string> {
  const annotations: Record<string, string> = {
    [STATUS_VALUE_ANNOTATION]: status.value,
    [STATUS_FLYOVER_ANNOTATION]: status.flyover,
  };
  const nls = status['flyover.nls'];
  if (nls !== undefined) annotations[STATUS_FLYOVER_NLS_ANNOTATION] = JSON.stringify(nls);
  return annotations;
}

/** What to change in `current` to store `status`, or undefined when it is stored already. */
export function statusAnnotationChange(
  current: Annotations,
  status: KappnavStatus,
): AnnotationChange | undefined {
  const wanted = statusAnnotations(status);
  const set = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => current?.[key] !== value));
  const remove =
    current?.[STATUS_FLYOVER_NLS_ANNOTATION] !== undefined &&
    wanted[STATUS_FLYOVER_NLS_ANNOTATION] === undefined
      ? [STATUS_FLYOVER_NLS_ANNOTATION]
      : [];
  return Object.keys(set).length === 0 && remove.length === 0 ? undefined : { set, remove };
}

/** `current` with `change` made: what an object's annotations become once the change is stored. */
export function applyAnnotationChange(
  current: Annotations,
  change: AnnotationChange,
): Record<string, string> {
  const kept = Object.entries(current ?? {}).filter(([key]) => !change.remove.includes(key));
  return { ...Object.fromEntries(kept), ...change.set };
}

function pointer(key: string): string {
  return `/metadata/annotations/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** `change` as JSON Patch operations (an admission response) on an object whose annotations are `current`. */
export function toJsonPatch(change: AnnotationChange, current: Annotations): Operation[] {
  if (current === undefined) return [{ op: 'add', path: '/metadata/annotations', value: { ...change.set } }];
  return [
    ...Object.entries(change.set).map(([key, value]): Operation => ({
      op: 'add',
      path: pointer(key),
      value,
    })),
    ...change.remove.map((key): Operation => ({ op: 'remove', path: pointer(key) })),
  ];
}

/** `change` as a JSON merge patch (`application/merge-patch+json`), removals as nulls. */
export function toMergePatch(change: AnnotationChange): {
  metadata: { annotations: Record<string, string | null> };
} {
  return {
    metadata: {
      annotations: { ...change.set, ...Object.fromEntries(change.remove.map((key) => [key, null])) },
    },
  };
}

/** The status stored on `object`, or undefined when it carries none. */
export function annotatedStatus(object: KubeObject): KappnavStatus | undefined {
  const annotations = object.metadata?.annotations;
  const value = annotations?.[STATUS_VALUE_ANNOTATION];
  if (value === undefined) return undefined;
  const status: KappnavStatus = { value, flyover: annotations?.[STATUS_FLYOVER_ANNOTATION] ?? '' };
  const nls = annotations?.[STATUS_FLYOVER_NLS_ANNOTATION];
  if (nls !== undefined) {
    try {
      const parsed: unknown = JSON.parse(nls);
      status['flyover.nls'] = typeof parsed === 'string' || Array.isArray(parsed) ? parsed : nls;
    } catch {
      status['flyover.nls'] = nls;
    }
  }
  return status;
}

const STATUS_ANNOTATIONS: readonly string[] = [
  STATUS_VALUE_ANNOTATION,
  STATUS_FLYOVER_ANNOTATION,
  STATUS_FLYOVER_NLS_ANNOTATION,
];

/** `object` without what every write of status annotations changes: those annotations and the bookkeeping. */
function withoutStatusWrite(object: KubeObject): KubeObject {
  const {
    resourceVersion: _version,
    managedFields: _fields,
    annotations,
    ...metadata
  } = object.metadata ?? {};
  const kept = Object.entries(annotations ?? {}).filter(([key]) => !STATUS_ANNOTATIONS.includes(key));
  return { ...object, metadata: { ...metadata, annotations: Object.fromEntries(kept) } };
}

/**
 * Whether two versions of an object differ in nothing but the stored status: the echo of a status write
 * (ours, or a user's edit of those annotations), which changes no status and so calls for no work.
 */
export function differsOnlyInStatus(old: KubeObject, current: KubeObject): boolean {
  return isDeepStrictEqual(withoutStatusWrite(old), withoutStatusWrite(current));
}
