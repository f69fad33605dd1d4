/**
 * Which parts of a status prismgate owns, and how its computed status meets what others wrote.
 *
 * prismgate owns the derived fields its CRDs add (§3.5) and the `Available` condition; every other
 * condition and any field a future schema adds belong to their writers and are passed through untouched.
 * Both the status webhook (merging into a write) and the reconciler (patching a stored object) go
 * through here, so they can never disagree about what is theirs.
 */
import { isRecord, sameJson } from '../../pkg/json/json-value.ts';
import type { ComputedVimanaStatus } from './status.ts';
import type { ComponentStatus, DomainStatus, ServerStatus, VimanaKind, VimanaStatus } from './types.ts';

type Derived<T> = readonly Exclude<keyof T, 'conditions'>[];

export const DERIVED_STATUS_FIELDS: {
  Vimana: Derived<VimanaStatus>;
  Domain: Derived<DomainStatus>;
  Server: Derived<ServerStatus>;
  Component: Derived<ComponentStatus>;
} = {
  Vimana: ['gatewayName', 'domainCount', 'listeners'],
  Domain: ['canonicalHostname', 'hostnames', 'routeName', 'gatewayRef', 'tlsSecretNames', 'reflectionMode'],
  Server: ['serverName', 'trafficPercent', 'traffic', 'backendServices', 'missingComponents'],
  Component: ['componentName', 'deploymentName', 'serviceName', 'weight', 'trafficPercent', 'imageRegistry'],
};

/** The fields this status update sets, as a JSON merge patch: owned fields no longer computed become null. */
function ownedFields(kind: VimanaKind, computed: ComputedVimanaStatus): Record<string, unknown> {
  const values = computed as Record<string, unknown>;
  const owned: Record<string, unknown> = { conditions: values['conditions'] };
  for (const field of DERIVED_STATUS_FIELDS[kind] as readonly string[]) owned[field] = values[field] ?? null;
  return owned;
}

/**
 * A written status with the computed one merged in: prismgate's fields replaced (or removed when no
 * longer computed), the rest kept. `computed.conditions` already holds the writer's other conditions.
 */
export function mergeComputedStatus(
  kind: VimanaKind,
  written: unknown,
  computed: ComputedVimanaStatus,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(isRecord(written) ? written : {}) };
  for (const [field, value] of Object.entries(ownedFields(kind, computed))) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}

/** The JSON merge patch of `status` that brings the stored status to the computed one, or undefined if it is there. */
export function computedStatusPatch(
  kind: VimanaKind,
  stored: unknown,
  computed: ComputedVimanaStatus,
): Record<string, unknown> | undefined {
  const current = isRecord(stored) ? stored : {};
  const owned = ownedFields(kind, computed);
  const unchanged = Object.entries(owned).every(([field, value]) =>
    value === null ? !Object.hasOwn(current, field) : sameJson(current[field], value),
  );
  return unchanged ? undefined : owned;
}
