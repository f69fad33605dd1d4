/**
 * The Vimana objects the reliability tests and the soak write: a Vimana, a Domain, Servers and their
 * Components, all without the labels the mutating webhook derives from their specs (vimana-invariants.md §3.2), so that an
 * object in the cluster shows whether the webhook saw it. Nothing here imports vitest: the soak (a plain
 * program) uses it too.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { LABEL_DOMAIN, LABEL_SERVER, LABEL_VERSION } from '../../features/vimana/names.ts';

const API_VERSION = 'api.vimana.host/v1alpha1';
export const VIMANA_NAME = 'edge';

export function vimana(namespace: string): KubeObject {
  return { apiVersion: API_VERSION, kind: 'Vimana', metadata: { name: VIMANA_NAME, namespace }, spec: {} };
}

/** Its alias is upper-case: the mutating webhook lower-cases it (F6), one more sign it saw the object. */
export function domain(namespace: string, id: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Domain',
    metadata: { name: id, namespace },
    spec: { id, vimana: VIMANA_NAME, aliases: [`API-${id.slice(0, 8)}.example.com`] },
  };
}

/** A Server weighting `versions` (its status lists those without a Component as missingComponents). */
export function server(namespace: string, domainId: string, id: string, versions = ['1.0.0']): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: { name: id, namespace },
    spec: {
      id,
      domain: domainId,
      services: [`acme.${id.replaceAll('-', '')}.v1.Service`],
      versionWeights: Object.fromEntries(versions.map((v) => [v, 1])),
    },
  };
}

export function component(
  namespace: string,
  domainId: string,
  serverId: string,
  version: string,
): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Component',
    metadata: { name: `${serverId}-${version.replaceAll('.', '-')}`, namespace },
    spec: {
      version,
      server: serverId,
      domain: domainId,
      image: `registry.example.com/${domainId}/${serverId}:${version}`,
    },
  };
}

/** Vimana, Domain, Server `payments` and `count` Components of it, in the order an apply needs them. */
export function vimanaStack(namespace: string, domainId: string, count: number): KubeObject[] {
  const versions = Array.from({ length: count }, (_, i) => `1.0.${i}`);
  return [
    vimana(namespace),
    domain(namespace, domainId),
    server(namespace, domainId, 'payments', versions.slice(0, 1)),
    ...versions.map((version) => component(namespace, domainId, 'payments', version)),
  ];
}

/** What the mutating webhook makes of an object's labels (and a Domain's aliases). */
export function mutationsOf(object: KubeObject): { labels: Record<string, string>; aliases?: string[] } {
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  switch (object.kind) {
    case 'Domain':
      return {
        labels: { [LABEL_DOMAIN]: String(spec['id']) },
        aliases: (spec['aliases'] as string[]).map((a) => a.toLowerCase()),
      };
    case 'Server':
      return { labels: { [LABEL_DOMAIN]: String(spec['domain']), [LABEL_SERVER]: String(spec['id']) } };
    case 'Component':
      return {
        labels: {
          [LABEL_DOMAIN]: String(spec['domain']),
          [LABEL_SERVER]: String(spec['server']),
          [LABEL_VERSION]: String(spec['version']),
        },
      };
    default:
      return { labels: {} };
  }
}

/** The plural of a Vimana kind, as kubectl and the REST paths name it. */
export function pluralOf(object: KubeObject): string {
  return `${String(object.kind).toLowerCase()}s`;
}
