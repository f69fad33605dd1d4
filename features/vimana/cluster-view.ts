/**
 * What the cross-resource rules and the computed status may know about the cluster.
 *
 * Admission must never wait on the API server, so the rules read this view, which the webhook backs with
 * informer caches (`pkg/kube/resource-cache.ts`) and tests back with arrays. All lookups are synchronous
 * and namespace-local except `domainsWithId`, because Domain ids name global hostnames (R8).
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { readString } from './fields.ts';
import { componentsOfServer } from './relations.ts';
import type { Component, Domain, ObjectRef, Server, Vimana, VimanaKind, VimanaObject } from './types.ts';

/** Objects the Vimana operator generates and whose state the `Available` condition reflects (§3.3). */
export type GeneratedKind = 'Gateway' | 'GRPCRoute' | 'Deployment' | 'Service';

/**
 * - `absent`: not in the cache.
 * - `pending`: exists, but its controller has not judged it yet (no `Accepted` condition).
 * - `accepted`: a Gateway whose `Accepted`/`Programmed` are True, a GRPCRoute its parent Gateway accepted,
 *   or any Deployment or Service that exists.
 * - `rejected`: a Gateway with `Accepted` or `Programmed` False, or a GRPCRoute its parent did not accept.
 */
export type GeneratedState = 'absent' | 'pending' | 'accepted' | 'rejected';

export interface VimanaClusterView {
  vimanas(namespace: string): readonly Vimana[];
  domains(namespace: string): readonly Domain[];
  /** Domains with this `spec.id` in every namespace (R8). */
  domainsWithId(id: string): readonly Domain[];
  servers(namespace: string): readonly Server[];
  components(namespace: string): readonly Component[];
  /** The Components of a namespace with this version of this Server (R6: normally none or one). */
  componentsWithVersion(of: ComponentVersion): readonly Component[];
  /** Whether a Secret of type `kubernetes.io/tls` with this name exists (R12). */
  hasTlsSecret(namespace: string, name: string): boolean;
  /** Whether the namespace has a `deletionTimestamp`: deletion rules then step aside (D1-D4). */
  isNamespaceTerminating(namespace: string): boolean;
  /** Used only by the computed status, never by admission rules. */
  generatedState(kind: GeneratedKind, namespace: string, name: string): GeneratedState;
}

/** The objects of one kind in a namespace. */
export function objectsOfKind(
  view: VimanaClusterView,
  kind: VimanaKind,
  namespace: string,
): readonly VimanaObject[] {
  switch (kind) {
    case 'Vimana':
      return view.vimanas(namespace);
    case 'Domain':
      return view.domains(namespace);
    case 'Server':
      return view.servers(namespace);
    case 'Component':
      return view.components(namespace);
  }
}

/** A version of a Server, which at most one Component provides (R6). */
export interface ComponentVersion {
  namespace: string;
  domainId: string;
  serverId: string;
  version: string;
}

export interface ClusterContents {
  /** Vimana resources of any kind, sorted by their `kind`; other kinds are ignored. */
  objects?: readonly KubeObject[];
  tlsSecrets?: readonly ObjectRef[];
  terminatingNamespaces?: readonly string[];
  generated?: readonly (ObjectRef & { kind: GeneratedKind; state: GeneratedState })[];
}

/** A view over plain arrays, for tests and for evaluating manifest files offline. */
export class InMemoryClusterView implements VimanaClusterView {
  private readonly objects: readonly KubeObject[];
  private readonly tlsSecrets: ReadonlySet<string>;
  private readonly terminating: ReadonlySet<string>;
  private readonly generated: ReadonlyMap<string, GeneratedState>;

  constructor(contents: ClusterContents = {}) {
    this.objects = contents.objects ?? [];
    this.tlsSecrets = new Set((contents.tlsSecrets ?? []).map((ref) => refKey(ref)));
    this.terminating = new Set(contents.terminatingNamespaces);
    this.generated = new Map(
      (contents.generated ?? []).map((entry) => [refKey(entry, entry.kind), entry.state]),
    );
  }

  vimanas(namespace: string): readonly Vimana[] {
    return this.ofKind('Vimana', namespace);
  }

  domains(namespace: string): readonly Domain[] {
    return this.ofKind('Domain', namespace);
  }

  domainsWithId(id: string): readonly Domain[] {
    return this.ofKind('Domain').filter((domain) => readString(domain, 'spec.id') === id);
  }

  servers(namespace: string): readonly Server[] {
    return this.ofKind('Server', namespace);
  }

  components(namespace: string): readonly Component[] {
    return this.ofKind('Component', namespace);
  }

  componentsWithVersion(of: ComponentVersion): readonly Component[] {
    return componentsOfServer(this.components(of.namespace), of.domainId, of.serverId).filter(
      (component) => readString(component, 'spec.version') === of.version,
    );
  }

  hasTlsSecret(namespace: string, name: string): boolean {
    return this.tlsSecrets.has(refKey({ namespace, name }));
  }

  isNamespaceTerminating(namespace: string): boolean {
    return this.terminating.has(namespace);
  }

  generatedState(kind: GeneratedKind, namespace: string, name: string): GeneratedState {
    return this.generated.get(refKey({ namespace, name }, kind)) ?? 'absent';
  }

  private ofKind(kind: string, namespace?: string): KubeObject[] {
    return this.objects.filter(
      (object) =>
        readString(object, 'kind') === kind &&
        (namespace === undefined || readString(object, 'metadata.namespace') === namespace),
    );
  }
}

/**
 * Forwards every lookup to `target`, which may be replaced, and notes in `consulted` that a lookup
 * happened: evaluation uses it to tell findings about the cluster from findings about the object alone.
 */
export class ForwardingClusterView implements VimanaClusterView {
  consulted = false;

  constructor(public target: VimanaClusterView) {}

  private read<T>(value: T): T {
    this.consulted = true;
    return value;
  }

  vimanas(namespace: string): readonly Vimana[] {
    return this.read(this.target.vimanas(namespace));
  }

  domains(namespace: string): readonly Domain[] {
    return this.read(this.target.domains(namespace));
  }

  domainsWithId(id: string): readonly Domain[] {
    return this.read(this.target.domainsWithId(id));
  }

  servers(namespace: string): readonly Server[] {
    return this.read(this.target.servers(namespace));
  }

  components(namespace: string): readonly Component[] {
    return this.read(this.target.components(namespace));
  }

  componentsWithVersion(of: ComponentVersion): readonly Component[] {
    return this.read(this.target.componentsWithVersion(of));
  }

  hasTlsSecret(namespace: string, name: string): boolean {
    return this.read(this.target.hasTlsSecret(namespace, name));
  }

  isNamespaceTerminating(namespace: string): boolean {
    return this.read(this.target.isNamespaceTerminating(namespace));
  }

  generatedState(kind: GeneratedKind, namespace: string, name: string): GeneratedState {
    return this.read(this.target.generatedState(kind, namespace, name));
  }
}

function refKey(ref: ObjectRef, kind = ''): string {
  return `${kind}/${ref.namespace}/${ref.name}`;
}
