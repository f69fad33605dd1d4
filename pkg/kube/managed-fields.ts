/**
 * Reading `metadata.managedFields`: which field manager owns which field of an object, as server-side
 * apply records it. A writer that shares an object with others (a status written by an operator and by
 * prismgate) reads it to take only fields nobody else owns, and to tell the fields it owns from the rest.
 *
 * `fieldsV1` is a trie of field steps: `f:<name>` for a field, `k:<json>` for an entry of a list keyed
 * by some of its fields (`k:{"type":"Ready"}`), `v:<json>` for a set entry, `.` for the node itself.
 */
import { isRecord } from '../json/json-value.ts';
import type { KubeObject } from './types.ts';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update' | string;
  apiVersion?: string;
  time?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

export function managedFieldsOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata?.['managedFields'];
  return Array.isArray(entries) ? entries.filter(isRecord) : [];
}

/** The step naming field `name` in `fieldsV1`. */
export function fieldStep(name: string): string {
  return `f:${name}`;
}

/** The step naming the entry of a map-typed list whose key fields have these values. */
export function keyStep(key: Record<string, string | number | boolean>): string {
  const sorted = Object.fromEntries(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `k:${JSON.stringify(sorted)}`;
}

function nodeAt(fields: unknown, steps: readonly string[]): unknown {
  let node = fields;
  for (const step of steps) {
    if (!isRecord(node) || !Object.hasOwn(node, step)) return undefined;
    node = node[step];
  }
  return node;
}

/** Whether an entry owns the field at `steps` (the field itself or anything below it). */
export function entryOwns(entry: ManagedFieldsEntry, steps: readonly string[]): boolean {
  return nodeAt(entry.fieldsV1, steps) !== undefined;
}

/** The managers owning the field at `steps`, or anything below it. */
export function ownersOf(object: KubeObject | undefined, steps: readonly string[]): ManagedFieldsEntry[] {
  return managedFieldsOf(object).filter((entry) => entryOwns(entry, steps));
}

/** The child steps an entry owns below `steps`, e.g. the status fields of `['f:status']`. */
export function ownedChildren(entry: ManagedFieldsEntry, steps: readonly string[]): string[] {
  const node = nodeAt(entry.fieldsV1, steps);
  return isRecord(node) ? Object.keys(node).filter((step) => step !== '.') : [];
}

const entryKey = (entry: ManagedFieldsEntry) =>
  `${entry.manager ?? ''}|${entry.operation ?? ''}|${entry.subresource ?? ''}`;

/** Every path of a fieldsV1 trie, as `step/step/...`. */
function paths(fields: unknown, prefix = ''): string[] {
  if (!isRecord(fields)) return [];
  return Object.entries(fields).flatMap(([step, child]) =>
    step === '.' ? [prefix] : [`${prefix}/${step}`, ...paths(child, `${prefix}/${step}`)],
  );
}

/**
 * Who made a write, from the object before and after it: the managers whose entry the write stamped anew
 * or gave a field it did not hold. An entry that only lost fields did not write: another manager's update
 * took them. A write that stamped no entry (an update changing none of its writer's fields) has no writer
 * that managedFields can name: the answer is then empty.
 */
export function writersOf(before: KubeObject | undefined, after: KubeObject): ManagedFieldsEntry[] {
  const old = new Map(managedFieldsOf(before).map((entry) => [entryKey(entry), entry]));
  return managedFieldsOf(after).filter((entry) => {
    const previous = old.get(entryKey(entry));
    if (!previous) return true;
    if (previous.time !== entry.time) return true;
    const held = new Set(paths(previous.fieldsV1));
    return paths(entry.fieldsV1).some((path) => !held.has(path));
  });
}
