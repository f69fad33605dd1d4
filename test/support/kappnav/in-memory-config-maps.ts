/** A ConfigMapSource over a fixed set of ConfigMaps, for tests. */
import type { ConfigMap, ConfigMapSource } from '../../../features/kappnav/kam/config-map-source.ts';

export class InMemoryConfigMaps implements ConfigMapSource {
  private readonly maps = new Map<string, ConfigMap>();

  constructor(maps: readonly ConfigMap[] = []) {
    this.add(...maps);
  }

  add(...maps: ConfigMap[]): this {
    for (const map of maps) this.maps.set(`${map.metadata?.namespace}/${map.metadata?.name}`, map);
    return this;
  }

  getConfigMap(namespace: string, name: string): ConfigMap | undefined {
    return this.maps.get(`${namespace}/${name}`);
  }
}

/** A ConfigMap in `namespace/name` with the given data (values as the cluster stores them: text). */
export function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { namespace, name, ...(annotations ? { annotations } : {}) },
    data,
  };
}
