/**
 * What the prism scenario creates: applications of ConfigMap components in one namespace, and filler
 * ConfigMaps (watched by prismgate, in no application) in namespaces of their own, up to a total size.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';

/** Fillers per namespace: a large cluster spreads its objects over many namespaces. */
export const FILLERS_PER_NAMESPACE = 5_000;

const pad = (n: number) => String(n).padStart(2, '0');
export const applicationName = (a: number) => `app-${pad(a)}`;
export const componentName = (a: number, c: number) => `cm-${pad(a)}-${pad(c)}`;
export const fillerNamespace = (index: number) =>
  `bench-prism-filler-${Math.floor(index / FILLERS_PER_NAMESPACE)}`;

export function application(namespace: string, a: number): KubeObject {
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: { name: applicationName(a), namespace },
    spec: {
      componentKinds: [{ group: 'core', kind: 'ConfigMap' }],
      selector: { matchLabels: { app: applicationName(a) } },
    },
  };
}

/** A ConfigMap of about 600 bytes, the size of a small real one (labels, an annotation, some data). */
export function configMap(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: { ...labels, 'app.kubernetes.io/part-of': 'bench', tier: 'backend' },
      annotations: { 'bench.prismgate.kappnav.io/owner': 'prism-scenario' },
    },
    data: {
      'settings.yaml': `name: ${name}\nreplicas: 3\nlog-level: info\n${'feature: enabled\n'.repeat(20)}`,
    },
  };
}

/** The `index`-th filler, in its namespace. */
export function filler(index: number): KubeObject {
  return configMap(fillerNamespace(index), `filler-${index}`, { filler: 'true' });
}
