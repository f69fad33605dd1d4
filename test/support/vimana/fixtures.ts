/**
 * Shared by the tests of this module: the §4.1 fixtures, builders for variations of them, and a one-call
 * review that answers the formatted messages a user would read.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { LiveClusterView } from '../../../features/vimana/cached-cluster-view.ts';
import {
  ForwardingClusterView,
  InMemoryClusterView,
  type ClusterContents,
  type VimanaClusterView,
} from '../../../features/vimana/cluster-view.ts';
import { evaluateVimana, formatEvaluation } from '../../../features/vimana/evaluate.ts';
import { readString } from '../../../features/vimana/fields.ts';
import type { VimanaRule } from '../../../features/vimana/rules/rule.ts';
import { VIMANA_GROUP } from '../../../features/vimana/types.ts';
import { type Operation } from '../../../webhook/admission-review.ts';

export const NAMESPACE = 'acme';
export const DOMAIN_ID = '3f2a9c1e7b5d40a8912e6c0d4b7a1f35';

/** Where the manifests of §4.1 live: V1 is shipped as a sample, V2-V5 are a test fixture. */
const MANIFESTS = {
  'v1-mvp': new URL('../../../manifests/samples/vimana-mvp.yaml', import.meta.url),
  acme: new URL('./acme.yaml', import.meta.url),
};

/** The documents of a §4.1 manifest, put in `namespace` when they name none (V1 does not). */
export function loadManifests(name: keyof typeof MANIFESTS, namespace = NAMESPACE): KubeObject[] {
  const text = readFileSync(MANIFESTS[name], 'utf8');
  return parseAllDocuments(text).map((document) => {
    const object = document.toJS() as KubeObject;
    return { ...object, metadata: { namespace, ...object.metadata } };
  });
}

/** V2-V5: Vimana `edge`, Domain `3f2a…`, Server `payments` and Components 1.4.0 and 1.5.0-rc1. */
export const ACME: readonly KubeObject[] = loadManifests('acme');

export function acme(kind: string, name?: string): KubeObject {
  const found = ACME.find(
    (object) => object.kind === kind && (name === undefined || object.metadata?.name === name),
  );
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in the acme fixture`);
  return structuredClone(found);
}

/** A fixture object with some spec fields replaced (`undefined` removes one) and optionally renamed. */
export function variant(kind: string, spec: Record<string, unknown>, name?: string): KubeObject {
  const object = acme(kind);
  const merged: Record<string, unknown> = { ...(object['spec'] as Record<string, unknown>), ...spec };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { ...object, metadata: { ...object.metadata, ...(name !== undefined && { name }) }, spec: merged };
}

export function clusterOf(
  objects: readonly KubeObject[],
  contents: Omit<ClusterContents, 'objects'> = {},
): InMemoryClusterView {
  return new InMemoryClusterView({ ...contents, objects });
}

/** A condition another writer (the operator) put in a status, which prismgate must keep. */
export const OPERATOR_CONDITION = {
  type: 'Progressing',
  status: 'True',
  reason: 'Rollout',
  message: '',
  lastTransitionTime: '2025-01-01T00:00:00Z',
};

/** A live view over arrays the test replaces, as informer events would change the caches. */
export class ChangingClusterView extends ForwardingClusterView implements LiveClusterView {
  synced = true;
  private readonly waiters = new Set<() => void>();

  constructor(objects: readonly KubeObject[], contents: Omit<ClusterContents, 'objects'> = {}) {
    super(clusterOf(objects, contents));
  }

  replace(objects: readonly KubeObject[], contents: Omit<ClusterContents, 'objects'> = {}): void {
    this.target = clusterOf(objects, contents);
    for (const wake of this.waiters) wake();
  }

  async whenSynced(): Promise<void> {}

  nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }
}

export interface ReviewOptions {
  operation?: Operation;
  oldObject?: unknown;
  /** The cluster around the object; the acme fixture by default. */
  view?: VimanaClusterView;
  rules?: readonly VimanaRule[];
}

/** Evaluates one object as the webhook would and answers the messages, denials and warnings apart. */
export function review(
  object: KubeObject,
  options: ReviewOptions = {},
): { denials: string[]; warnings: string[] } {
  const operation = options.operation ?? 'CREATE';
  const request = {
    operation,
    kind: { group: VIMANA_GROUP, kind: readString(object, 'kind') ?? '' },
    namespace: readString(object, 'metadata.namespace') ?? NAMESPACE,
    name: readString(object, 'metadata.name') ?? '',
    ...(operation === 'DELETE' ? { oldObject: object } : { object, oldObject: options.oldObject }),
  };
  return formatEvaluation(evaluateVimana(request, options.view ?? clusterOf(ACME), options.rules));
}

/**
 * A review limited to one family of rules, for its tests: against the acme cluster by default. An UPDATE
 * carries no stored object, so that ratcheting cannot hide a finding and only the cluster can matter.
 */
export function checker(rules: readonly VimanaRule[]) {
  return (object: KubeObject, view: VimanaClusterView = clusterOf(ACME), operation: Operation = 'CREATE') =>
    review(object, { rules, view, operation });
}

/** The rule ids at the end of messages, e.g. `['F3', 'X1']`. */
export function ruleIds(messages: readonly string[]): string[] {
  return messages.map((message) => /\(rule (\w+)\)$/.exec(message)?.[1] ?? message);
}
