/**
 * Mutations (vimana-invariants.md §3.2): labels forced to match the spec, Domain id generation and list
 * normalisation, and on CREATE prismgate's in-use finalizer (§2.5). The result is a changed copy; the webhook turns the difference into a JSON Patch.
 *
 * Mutating admission runs before schema validation, and before the validating rules: whatever is written
 * here must never make the API server fail with a worse message than the rules would give. So a label is
 * only set from a spec value that is a valid label value; an invalid value is left for F1-F3 to explain.
 */
import { randomBytes } from 'node:crypto';
import { indexPath, keyPath, readRecord, readString } from './fields.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { vimanaKindOf, type VimanaAdmissionRequest } from './request.ts';
import { LABEL_DOMAIN, LABEL_SERVER, LABEL_VERSION } from './names.ts';
import { domainIdProblem, isLabelValue } from './patterns.ts';
import { IN_USE_FINALIZER } from './protection.ts';
import type { VimanaKind } from './types.ts';
import { formatMessage, type RuleId } from './violation.ts';

export interface MutationResult {
  /** A copy of the request's object, changed where needed (the request's object itself for other kinds). */
  object: unknown;
  /** One line per change, naming the field: `spec.aliases[1] "API.example.com": lower-cased to …`. */
  warnings: string[];
}

export interface MutationOptions {
  /** The id for a Domain created without one; 16 random bytes as 32 lowercase hex characters by default. */
  newDomainId?: () => string;
}

/**
 * Lists that are sets: a repeat carries no meaning, and is removed citing the rule it would break (X3,
 * X4). Hostnames are also lower-cased (F6, F7). Citing the rule tells the user which invariant the
 * change keeps, since these violations never reach the validating webhook.
 */
export interface NormalisedList {
  path: string;
  repeats: RuleId;
  lowerCase?: RuleId;
}

export const LISTS: Record<VimanaKind, readonly NormalisedList[]> = {
  Vimana: [{ path: 'spec.regions', repeats: 'X4' }],
  Domain: [
    { path: 'spec.aliases', repeats: 'X4', lowerCase: 'F6' },
    { path: 'spec.failover', repeats: 'X4', lowerCase: 'F7' },
    { path: 'spec.regions', repeats: 'X4' },
    { path: 'spec.grpc.reflection.noneBut', repeats: 'X3' },
    { path: 'spec.grpc.reflection.allBut', repeats: 'X3' },
  ],
  Server: [
    { path: 'spec.services', repeats: 'X4' },
    { path: 'spec.auth.jwks', repeats: 'X4' },
  ],
  Component: [],
};

/** The label contract (§1.5): which spec field each label mirrors. */
export const LABELS: Record<VimanaKind, readonly [label: string, field: string][]> = {
  Vimana: [],
  Domain: [[LABEL_DOMAIN, 'spec.id']],
  Server: [
    [LABEL_DOMAIN, 'spec.domain'],
    [LABEL_SERVER, 'spec.id'],
  ],
  Component: [
    [LABEL_DOMAIN, 'spec.domain'],
    [LABEL_SERVER, 'spec.server'],
    [LABEL_VERSION, 'spec.version'],
  ],
};

export function mutateVimana(
  request: Pick<VimanaAdmissionRequest, 'operation' | 'kind' | 'subResource' | 'object'>,
  options: MutationOptions = {},
): MutationResult {
  const kind = vimanaKindOf(request);
  const original = request.object;
  if (!kind || (request.operation !== 'CREATE' && request.operation !== 'UPDATE') || !isRecord(original)) {
    return { object: original, warnings: [] };
  }
  const object = structuredClone(original);
  const warnings: string[] = [];
  const note: Note = (path, before, change, rule) =>
    warnings.push(formatMessage(path, before, change, rule ? ` (rule ${rule})` : ''));

  if (request.operation === 'CREATE') protect(object);
  if (kind === 'Domain' && request.operation === 'CREATE') {
    generateDomainId(object, options.newDomainId ?? randomDomainId, note);
    nameDomainAfterId(object, note);
  }
  for (const list of LISTS[kind]) normaliseList(object, list, note);
  alignLabels(object, LABELS[kind], note);
  return { object, warnings };
}

type Note = (path: string, before: unknown, change: string, rule?: RuleId) => void;

/**
 * In-use protection from the start (protection.ts), as the StorageObjectInUseProtection admission plugin
 * puts its finalizer on every PersistentVolumeClaim: a delete right after a create is held like any other.
 * Silent: it is what every object gets, and it says nothing about the object.
 */
function protect(object: Record<string, unknown>): void {
  const metadata = readRecord(object, 'metadata');
  if (!metadata) return;
  const finalizers = Array.isArray(metadata['finalizers']) ? (metadata['finalizers'] as unknown[]) : [];
  if (!finalizers.includes(IN_USE_FINALIZER)) metadata['finalizers'] = [...finalizers, IN_USE_FINALIZER];
}

function randomDomainId(): string {
  return randomBytes(16).toString('hex');
}

/** §3.2: "Auto-generated unique ID"; only on CREATE, since the id is immutable (I1). */
function generateDomainId(object: Record<string, unknown>, newDomainId: () => string, note: Note): void {
  const spec = readRecord(object, 'spec');
  if (!spec || (spec['id'] !== undefined && spec['id'] !== '')) return;
  const id = newDomainId();
  note('spec.id', spec['id'], `generated ${JSON.stringify(id)}`);
  spec['id'] = id;
}

/**
 * §5 A1: the operator finds a Domain by name = id. A Domain created with only `generateName` has no name
 * the user chose, so it gets the one the operator expects.
 */
function nameDomainAfterId(object: Record<string, unknown>, note: Note): void {
  const metadata = readRecord(object, 'metadata');
  const id = readString(object, 'spec.id');
  if (!metadata || metadata['name'] || typeof metadata['generateName'] !== 'string') return;
  if (id === undefined || domainIdProblem(id) !== undefined) return;
  note('metadata.name', metadata['name'], 'set to spec.id, the name the operator looks Domains up by');
  metadata['name'] = id;
}

function normaliseList(object: Record<string, unknown>, list: NormalisedList, note: Note): void {
  const { path, repeats, lowerCase } = list;
  const cut = path.lastIndexOf('.');
  const parent = readRecord(object, path.slice(0, cut));
  const key = path.slice(cut + 1);
  const entries = parent?.[key];
  if (!parent || !Array.isArray(entries)) return;
  const firstIndex = new Map<string, number>();
  const kept: unknown[] = [];
  entries.forEach((entry: unknown, index) => {
    const normal = lowerCase && typeof entry === 'string' ? entry.toLowerCase() : entry;
    const earlier = typeof normal === 'string' ? firstIndex.get(normal) : undefined;
    if (earlier !== undefined) {
      note(indexPath(path, index), entry, `removed, it repeats ${indexPath(path, earlier)}`, repeats);
      return;
    }
    if (typeof normal === 'string') firstIndex.set(normal, index);
    if (normal !== entry)
      note(indexPath(path, index), entry, `lower-cased to ${JSON.stringify(normal)}`, lowerCase);
    kept.push(normal);
  });
  if (kept.length !== entries.length || kept.some((entry, index) => entry !== entries[index]))
    parent[key] = kept;
}

/**
 * §3.2 / A2: the Domain controller selects Servers by label, so labels and spec must never disagree.
 * Adding a missing label is routine and silent; overwriting a different value is reported.
 */
function alignLabels(object: Record<string, unknown>, labels: readonly [string, string][], note: Note): void {
  const metadata = readRecord(object, 'metadata');
  const current = metadata?.['labels'] ?? {};
  if (!metadata || !isRecord(current)) return;
  for (const [label, field] of labels) {
    const value = readString(object, field);
    if (value === undefined || !isLabelValue(value) || current[label] === value) continue;
    if (Object.hasOwn(current, label))
      note(keyPath('metadata.labels', label), current[label], `set to ${field} ${JSON.stringify(value)}`);
    current[label] = value;
    metadata['labels'] = current;
  }
}
