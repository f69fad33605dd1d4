/**
 * How the kAppNav map code reads ConfigMaps: synchronously, from a cache the caller keeps warm
 * (a watch-backed informer in the server, a plain map in tests).
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';

/** A ConfigMap as kAppNav reads it. Values are JSON text, or already structured when written as YAML maps. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, unknown>;
}

export interface ConfigMapSource {
  /** The ConfigMap `namespace/name`, or undefined when there is none. */
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
}

/** A ConfigMap found for a candidate name, with the name and namespace it was found under. */
export interface LocatedConfigMap {
  name: string;
  namespace: string;
  configMap: ConfigMap;
}
