/**
 * Looking candidate names up (kappnav-prism.md §3.4 step 6): missing maps are skipped, the ones found form
 * the effective hierarchy, most specific first.
 */
import type { CandidateMap } from './candidate-maps.ts';
import type { ConfigMapSource, LocatedConfigMap } from './config-map-source.ts';

export function locateConfigMaps(
  candidates: readonly CandidateMap[],
  source: ConfigMapSource,
): LocatedConfigMap[] {
  const located: LocatedConfigMap[] = [];
  for (const { name, namespace } of candidates) {
    const configMap = source.getConfigMap(namespace, name);
    if (configMap) located.push({ name, namespace, configMap });
  }
  return located;
}
