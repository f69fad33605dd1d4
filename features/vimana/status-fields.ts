/**
 * Who owns what in the status of a Vimana object, and what prismgate writes there.
 *
 * Several writers share one status, the Kubernetes way (server-side apply, field managers):
 *
 * - the operator owns its conditions (the types in OPERATOR_CONDITION_TYPES, read from its source) and,
 *   on its own CRDs, the whole `conditions` list: there it is atomic, and the operator replaces it with
 *   every status update it makes;
 * - prismgate, as field manager STATUS_FIELD_MANAGER, owns the derived fields (§3.5) and its own
 *   condition PRISMGATE_CONDITION, but only where the installed schema keeps them (installed-schema.ts):
 *   derived fields where the schema declares them, its condition only where `conditions` is a map keyed
 *   by type; nobody else computes these, so they are prismgate's by name;
 * - anything else belongs to whoever wrote it.
 *
 * prismgate applies its part without force: a field another manager holds with another value is left to
 * that manager (yielded), never taken. The status writer and the status webhook both decide here.
 */
import { sameJson } from '../../pkg/json/json-value.ts';
import {
  fieldStep,
  keyStep,
  managedFieldsOf,
  ownedChildren,
  ownersOf,
  type ManagedFieldsEntry,
} from '../../pkg/kube/managed-fields.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { readPath } from './fields.ts';
import {
  conditionSchema,
  keptStatusField,
  pruneToSchema,
  type InstalledStatusSchema,
} from './installed-schema.ts';
import { PRISMGATE_CONDITION, type ComputedVimanaStatus } from './status.ts';
import type { ComponentStatus, DomainStatus, ServerStatus, VimanaKind, VimanaStatus } from './types.ts';

/** The field manager of prismgate's status writes: `managedFields` tells them from the operator's. */
export const STATUS_FIELD_MANAGER = 'prismgate-vimana-status';

/**
 * The condition types the Vimana operator sets: `conditionTypeAvailable` is the only one
 * (`operator/internal/controller/controllers_common.go`), set by the Vimana, Domain and Component
 * controllers through `meta.SetStatusCondition` and a full status update.
 */
export const OPERATOR_CONDITION_TYPES: readonly string[] = ['Available'];

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

const STATUS = fieldStep('status');
const CONDITIONS = fieldStep('conditions');
const conditionStep = (type: string) => keyStep({ type });

function isPrismgate(entry: ManagedFieldsEntry): boolean {
  return entry.manager === STATUS_FIELD_MANAGER;
}

/**
 * What prismgate's applies hold in a stored status (what a later apply can let go of): fields by name,
 * and whether it holds `conditions`, its own entry of a keyed list or, once the schema made the list
 * atomic, the whole list along with its other managers.
 */
export function prismgateOwnership(object: KubeObject): { fields: Set<string>; condition: boolean } {
  const fields = new Set<string>();
  let condition = false;
  const applies = managedFieldsOf(object).filter(
    (entry) => isPrismgate(entry) && entry.operation === 'Apply',
  );
  for (const entry of applies) {
    for (const step of ownedChildren(entry, [STATUS])) {
      if (step === CONDITIONS) {
        const entries = ownedChildren(entry, [STATUS, CONDITIONS]);
        condition ||= entries.length === 0 || entries.includes(conditionStep(PRISMGATE_CONDITION));
      } else if (step.startsWith('f:')) fields.add(step.slice(2));
    }
  }
  return { fields, condition };
}

/** Whether a manager other than prismgate holds the field at `steps` under status. */
function heldByOthers(object: KubeObject, steps: readonly string[]): boolean {
  return ownersOf(object, [STATUS, ...steps]).some((entry) => !isPrismgate(entry));
}

function storedCondition(object: KubeObject, type: string): unknown {
  const conditions = readPath(object, 'status.conditions');
  return (Array.isArray(conditions) ? conditions : []).find(
    (condition: unknown) => readPath(condition, 'type') === type,
  );
}

export interface StatusIntent {
  /** The `status` of prismgate's apply configuration: everything it means to own, nothing else. */
  status: Record<string, unknown>;
  /** Whether applying it would change the stored object (otherwise nothing is written). */
  changes: boolean;
  /**
   * What prismgate no longer computes but cannot take out by an apply, because it does not hold it: a
   * derived field whose hold another writer's full status update took away (see keepPrismgateFields), or
   * prismgate's condition left in a list the schema made atomic. As a merge patch of `status` (a field
   * set to null, `conditions` as the list without prismgate's entry); undefined when there is none.
   */
  removal: Record<string, unknown> | undefined;
  /** Fields another manager holds with another value, left to it (`conditions[type]` for a condition). */
  yielded: string[];
}

/**
 * What prismgate applies to the status of `stored`, given what it computed and what the installed schema
 * keeps. Server-side apply removes what the applier held and no longer applies, so a field prismgate
 * stops computing (or the schema stops keeping) disappears by being left out.
 */
export function statusIntent(
  kind: VimanaKind,
  stored: KubeObject,
  computed: ComputedVimanaStatus,
  schema: InstalledStatusSchema,
): StatusIntent {
  const status: Record<string, unknown> = {};
  const yielded: string[] = [];
  const removal: Record<string, unknown> = {};
  const held = prismgateOwnership(stored);
  const current = readPath(stored, 'status');
  let changes = false;
  for (const field of DERIVED_STATUS_FIELDS[kind] as readonly string[]) {
    const value = computed.fields[field];
    const kept = value === undefined ? undefined : keptStatusField(schema, field, value);
    const storedValue = readPath(current, field);
    const others = heldByOthers(stored, [fieldStep(field)]);
    if (kept === undefined) {
      // Not prismgate's to keep any more: gone with the apply if prismgate holds it, else by a patch,
      // unless another manager set it.
      if (storedValue !== undefined && !held.fields.has(field) && !others) removal[field] = null;
      continue;
    }
    const same = sameJson(storedValue, kept);
    if (!same && others) {
      yielded.push(field);
      continue;
    }
    status[field] = kept;
    changes ||= !same;
  }
  const itemSchema = conditionSchema(schema);
  const condition = itemSchema && pruneToSchema(computed.condition, itemSchema);
  const conditions = readPath(current, 'conditions');
  if (!itemSchema && Array.isArray(conditions) && storedCondition(stored, PRISMGATE_CONDITION) !== undefined)
    removal['conditions'] = conditions.filter(
      (entry: unknown) => readPath(entry, 'type') !== PRISMGATE_CONDITION,
    );
  if (condition !== undefined) {
    const same = sameJson(storedCondition(stored, PRISMGATE_CONDITION), condition);
    if (!same && heldByOthers(stored, [CONDITIONS, conditionStep(PRISMGATE_CONDITION)]))
      yielded.push(`conditions[${PRISMGATE_CONDITION}]`);
    else {
      status['conditions'] = [condition];
      changes ||= !same;
    }
  }
  // What prismgate holds and no longer means to: the apply removes it.
  changes ||= [...held.fields].some((field) => field !== 'conditions' && !Object.hasOwn(status, field));
  changes ||= held.condition && !Object.hasOwn(status, 'conditions');
  return { status, changes, removal: Object.keys(removal).length > 0 ? removal : undefined, yielded };
}

/**
 * The status of a write by another writer, with prismgate's part put back where the write left it out:
 * the derived fields by name, and prismgate's condition by type. The operator updates status with its Go
 * types, which know only `conditions`: each of its updates would otherwise remove the derived fields,
 * prismgate would apply them again, and the operator, woken by that change, would update again, without
 * end. A field put back keeps its stored value; nothing the writer set is changed.
 *
 * kube-apiserver records field ownership before mutating admission, so a field put back here is held by
 * no manager afterwards: prismgate recognises its fields by name, not by `managedFields` (statusIntent).
 */
export function keepPrismgateFields(
  kind: VimanaKind,
  written: unknown,
  stored: KubeObject,
): Record<string, unknown> | undefined {
  const before = readPath(stored, 'status');
  const after: Record<string, unknown> =
    written !== null && typeof written === 'object' && !Array.isArray(written)
      ? { ...(written as Record<string, unknown>) }
      : {};
  let restored = false;
  for (const field of DERIVED_STATUS_FIELDS[kind] as readonly string[]) {
    const value = readPath(before, field);
    if (value === undefined || Object.hasOwn(after, field)) continue;
    after[field] = value;
    restored = true;
  }
  const condition = storedCondition(stored, PRISMGATE_CONDITION);
  const conditions = after['conditions'];
  if (condition !== undefined && (conditions === undefined || Array.isArray(conditions))) {
    const list = (conditions as unknown[] | undefined) ?? [];
    if (!list.some((entry) => readPath(entry, 'type') === PRISMGATE_CONDITION)) {
      after['conditions'] = [...list, condition];
      restored = true;
    }
  }
  return restored ? after : undefined;
}
