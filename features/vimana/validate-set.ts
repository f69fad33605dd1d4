/**
 * Every Vimana rule over a whole set of manifests at once, offline: what `prismgate validate` runs in CI.
 *
 * Admission judges one object against what is stored, so a manifest whose parents are in the same file
 * cannot be checked by `kubectl apply --dry-run=server` into an empty namespace (the parents of a dry run
 * are never stored, and kube-apiserver reviews each document of a dry run on its own). Here the set is
 * the desired state: each object is judged as the webhook would judge it, against the rest of the set
 * (and, when given, the cluster's current objects, which the set's objects replace), so a reference to a
 * parent anywhere in the set resolves. Objects the cluster has already are judged as updates of their
 * stored version (immutability, ratcheting); the others as creates, after the mutations admission applies.
 *
 * The order of the documents still matters to `kubectl apply -f`, which creates them one by one: a child
 * before its parent is denied. Such a document is reported with a warning, not an error.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { InMemoryClusterView } from './cluster-view.ts';
import { evaluateVimana } from './evaluate.ts';
import { readString } from './fields.ts';
import { mutateVimana } from './mutate.ts';
import { VIMANA_VERSION } from './resource-types.ts';
import { VIMANA_GROUP, VIMANA_KINDS, type ObjectRef, type VimanaKind } from './types.ts';
import { formatViolation } from './violation.ts';

export interface SetDocument {
  object: KubeObject;
  /** Where it was read from, for messages. */
  file: string;
}

export interface ClusterState {
  /** Vimana objects of every namespace, as stored. */
  objects: readonly KubeObject[];
  tlsSecrets: readonly ObjectRef[];
}

export interface ObjectVerdict {
  file: string;
  kind: VimanaKind;
  namespace: string;
  name: string;
  /** CREATE when the cluster has no such object (or none was read), UPDATE otherwise. */
  operation: 'CREATE' | 'UPDATE';
  denials: string[];
  warnings: string[];
}

export interface SetReport {
  verdicts: ObjectVerdict[];
  /** Documents that are no Vimana object (TLS Secrets among them are used for R12). */
  skipped: { file: string; kind: string; name: string }[];
  /** Documents that cannot be judged at all: `<file>: <what>`. */
  errors: string[];
}

const API_VERSION = `${VIMANA_GROUP}/${VIMANA_VERSION}`;

/** What an order warning adds to the denial that `kubectl apply -f` would meet. */
export const IN_ORDER = '`kubectl apply -f` of the set in this order is denied; put the parent first';

function vimanaKindOf(object: KubeObject): VimanaKind | undefined {
  return VIMANA_KINDS.find((kind) => kind === object.kind);
}

const keyOf = (object: KubeObject) =>
  `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

function isTlsSecret(object: KubeObject): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Secret' && object['type'] === 'kubernetes.io/tls';
}

interface Prepared {
  document: SetDocument;
  kind: VimanaKind;
  stored: KubeObject | undefined;
  object: KubeObject;
  mutationWarnings: string[];
}

/** Judges every Vimana object of `documents` against the rest of them and, when given, the cluster. */
export function validateSet(
  documents: readonly SetDocument[],
  options: { namespace: string; cluster?: ClusterState },
): SetReport {
  const report: SetReport = { verdicts: [], skipped: [], errors: [] };
  const stored = new Map((options.cluster?.objects ?? []).map((object) => [keyOf(object), object]));
  const tlsSecrets: ObjectRef[] = [...(options.cluster?.tlsSecrets ?? [])];
  const prepared: Prepared[] = [];
  const firstFile = new Map<string, string>();
  for (const document of documents) {
    const namespace = document.object.metadata?.namespace ?? options.namespace;
    const object = { ...document.object, metadata: { ...document.object.metadata, namespace } };
    const kind = vimanaKindOf(object);
    const name = readString(object, 'metadata.name') ?? '';
    if (isTlsSecret(object)) tlsSecrets.push({ namespace, name });
    if (!kind || !object.apiVersion?.startsWith(`${VIMANA_GROUP}/`)) {
      report.skipped.push({ file: document.file, kind: object.kind ?? '(no kind)', name });
      continue;
    }
    if (object.apiVersion !== API_VERSION) {
      report.errors.push(`${document.file}: ${kind} ${name}: no ${kind} is served at ${object.apiVersion}`);
      continue;
    }
    if (!name) {
      report.errors.push(`${document.file}: a ${kind} without metadata.name cannot be validated`);
      continue;
    }
    const key = keyOf(object);
    const earlier = firstFile.get(key);
    if (earlier !== undefined) {
      report.errors.push(
        `${document.file}: ${kind} ${namespace}/${name} is defined twice (also in ${earlier})`,
      );
      continue;
    }
    firstFile.set(key, document.file);
    const before = stored.get(key);
    const operation = before ? 'UPDATE' : 'CREATE';
    const mutation = mutateVimana({ operation, kind: { group: VIMANA_GROUP, kind }, object });
    prepared.push({
      document,
      kind,
      stored: before,
      object: mutation.object as KubeObject,
      mutationWarnings: mutation.warnings,
    });
  }
  const set = new Set(prepared.map(({ object }) => keyOf(object)));
  const others = [...stored.values()].filter((object) => !set.has(keyOf(object)));
  const whole = new InMemoryClusterView({
    objects: [...others, ...prepared.map((p) => p.object)],
    tlsSecrets,
  });
  prepared.forEach((entry, index) => {
    const judged = judge(entry, whole);
    // As `kubectl apply -f` meets it: the cluster, then the set's documents before this one.
    const before = prepared.slice(0, index).map((p) => p.object);
    const replaced = new Set(before.map(keyOf));
    const inOrder = new InMemoryClusterView({
      objects: [...[...stored.values()].filter((object) => !replaced.has(keyOf(object))), ...before],
      tlsSecrets,
    });
    const orderDenials = judge(entry, inOrder).denials.filter((denial) => !judged.denials.includes(denial));
    report.verdicts.push({
      file: entry.document.file,
      kind: entry.kind,
      namespace: entry.object.metadata?.namespace ?? '',
      name: entry.object.metadata?.name ?? '',
      operation: entry.stored ? 'UPDATE' : 'CREATE',
      denials: judged.denials,
      warnings: [
        ...entry.mutationWarnings,
        ...judged.warnings,
        ...orderDenials.map((denial) => `${denial}, until a later document is applied: ${IN_ORDER}`),
      ],
    });
  });
  return report;
}

function judge(entry: Prepared, view: InMemoryClusterView): { denials: string[]; warnings: string[] } {
  const { object, kind, stored } = entry;
  const evaluation = evaluateVimana(
    {
      operation: stored ? 'UPDATE' : 'CREATE',
      kind: { group: VIMANA_GROUP, kind },
      namespace: object.metadata?.namespace,
      name: object.metadata?.name,
      object,
      oldObject: stored,
    },
    view,
  );
  return {
    denials: evaluation.denials.map(formatViolation),
    warnings: evaluation.warnings.map(formatViolation),
  };
}
