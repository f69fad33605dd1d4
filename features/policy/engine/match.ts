/**
 * Which requests and objects a policy applies to:
 *
 *   match:
 *     resources: [{ apiGroups: ["api.vimana.host"], kinds: ["Domain", "Server"] }]   # required
 *     operations: [CREATE, UPDATE]              # default; DELETE judges the deleted object
 *     namespaces: ["acme", "team-*"]             # names, a trailing * matches a prefix
 *     namespaceSelector: { matchLabels: … }     # labels of the object's namespace
 *     objectSelector: { matchExpressions: … }   # labels of the object
 *   exclude: { namespaces, names, namespaceSelector, objectSelector }
 *
 * Kinds are named exactly (no `*`): the webhook configuration then carries exactly the resources
 * policies name, and the API server sends prismgate nothing else.
 *
 * A namespaced AdmissionPolicy applies only to namespaced objects of its own namespace, as Kyverno's
 * namespaced Policy does: whoever may write policies in `dev` may not judge or change cluster-scoped
 * objects, not even the Namespace `dev` itself (kube-apiserver sends a Namespace's own name as the
 * request's namespace, so "in its namespace" alone would let the policy reach it).
 */
import type { Operation as AdmissionOperation } from '../../../webhook/admission-review.ts';
import { readLabelSelector } from '../../../pkg/labels/label-selector.ts';
import { selects, type Requirement } from '../../../pkg/labels/requirement.ts';
import { Section, type Problems } from './problems.ts';

/** The operations a policy can match: CONNECT carries no object to judge. */
export type Operation = Exclude<AdmissionOperation, 'CONNECT'>;
export const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE'];

export interface GroupKind {
  group: string;
  kind: string;
}

export interface MatchInput {
  group: string;
  kind: string;
  operation: Operation;
  /**
   * The namespace `namespaces` and `namespaceSelector` look at: the object's, or for a Namespace its own
   * name (as kube-apiserver's AdmissionRequest.namespace and Kyverno's namespace match have it). Empty or
   * undefined for other cluster-scoped objects.
   */
  namespace?: string;
  /** True for cluster-scoped objects, Namespaces included: no namespaced policy ever applies to them. */
  clusterScoped: boolean;
  name?: string;
  labels?: Readonly<Record<string, string>>;
  /** Labels of the object's namespace, looked up only when a selector needs them. */
  namespaceLabels(): Readonly<Record<string, string>> | undefined;
}

export interface CompiledMatch {
  readonly kinds: readonly GroupKind[];
  readonly operations: readonly Operation[];
  matches(input: MatchInput): boolean;
}

interface Filter {
  namespaces: string[];
  names: string[];
  namespaceSelector?: Requirement[];
  objectSelector?: Requirement[];
}

const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Whether group/kind is the core Namespace, the one cluster-scoped kind a request carries a namespace for. */
export function isNamespaceKind(group: string, kind: string): boolean {
  return group === '' && kind === 'Namespace';
}
const GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;

function nameMatches(patterns: readonly string[], name: string | undefined): boolean {
  return patterns.some((p) => (p.endsWith('*') ? (name ?? '').startsWith(p.slice(0, -1)) : p === name));
}

function selector(section: Section, key: string): Requirement[] | undefined {
  const raw = section.raw(key);
  if (raw === undefined || raw === null) return undefined;
  const read = readLabelSelector(raw);
  // A policy must not silently widen: a selector part that cannot be read is an error here.
  for (const dropped of read.dropped) section.problems.add(section.at(key), raw, dropped);
  return read.requirements;
}

function readFilter(section: Section | undefined): Filter {
  if (!section) return { namespaces: [], names: [] };
  return {
    namespaces: section.strings('namespaces'),
    names: section.strings('names'),
    namespaceSelector: selector(section, 'namespaceSelector'),
    objectSelector: selector(section, 'objectSelector'),
  };
}

function readKinds(match: Section): GroupKind[] {
  const entries = match.list('resources');
  if (entries.length === 0)
    match.problems.add(
      match.at('resources'),
      match.raw('resources'),
      'must name at least one group and kind',
    );
  return entries.flatMap(({ value, path }) => {
    const entry = Section.of(value, path, match.problems);
    if (!entry) return [];
    const groups = entry.strings('apiGroups');
    const kinds = entry.strings('kinds');
    if (groups.length === 0)
      match.problems.add(
        entry.at('apiGroups'),
        entry.raw('apiGroups'),
        'must list at least one API group ("" is the core group)',
      );
    if (kinds.length === 0)
      match.problems.add(entry.at('kinds'), entry.raw('kinds'), 'must list at least one kind');
    for (const group of groups)
      if (!GROUP.test(group))
        match.problems.add(
          entry.at('apiGroups'),
          group,
          'must be an API group name such as apps or api.vimana.host ("*" is not allowed)',
        );
    for (const kind of kinds)
      if (!KIND.test(kind))
        match.problems.add(
          entry.at('kinds'),
          kind,
          'must be a kind such as Deployment ("*" is not allowed: name the kinds)',
        );
    return groups.flatMap((group) => kinds.map((kind) => ({ group, kind })));
  });
}

/** A filter side of match/exclude: whether the input passes every part that is set. */
function passes(filter: Filter, input: MatchInput, emptyMeans: boolean): boolean {
  const parts: (() => boolean)[] = [];
  if (filter.namespaces.length) parts.push(() => nameMatches(filter.namespaces, input.namespace));
  if (filter.names.length) parts.push(() => nameMatches(filter.names, input.name));
  if (filter.objectSelector) {
    const requirements = filter.objectSelector;
    parts.push(() => selects(requirements, input.labels, 'selects-everything'));
  }
  if (filter.namespaceSelector) {
    const requirements = filter.namespaceSelector;
    // Cluster-scoped objects have no namespace labels; a namespace selector never selects them.
    parts.push(
      () => !!input.namespace && selects(requirements, input.namespaceLabels(), 'selects-everything'),
    );
  }
  return parts.length === 0 ? emptyMeans : parts.every((part) => part());
}

export function compileMatch(
  match: Section | undefined,
  exclude: Section | undefined,
  policyNamespace: string | undefined,
  problems: Problems,
  path: string,
): CompiledMatch {
  if (!match) {
    problems.add(`${path}.match`, undefined, 'is required: name the resources the policy applies to');
    return { kinds: [], operations: [], matches: () => false };
  }
  const kinds = readKinds(match);
  const operations =
    match.raw('operations') === undefined
      ? (['CREATE', 'UPDATE'] as Operation[])
      : match.strings('operations').filter((op): op is Operation => {
          if ((OPERATIONS as readonly string[]).includes(op)) return true;
          problems.add(match.at('operations'), op, `must be one of ${OPERATIONS.join(', ')}`);
          return false;
        });
  const include = readFilter(match);
  const without = readFilter(exclude);
  const wanted = new Set(kinds.map((k) => `${k.group}/${k.kind}`));
  return {
    kinds,
    operations,
    matches: (input) =>
      wanted.has(`${input.group}/${input.kind}`) &&
      operations.includes(input.operation) &&
      (policyNamespace === undefined || (!input.clusterScoped && input.namespace === policyNamespace)) &&
      passes(include, input, true) &&
      !passes(without, input, false),
  };
}
