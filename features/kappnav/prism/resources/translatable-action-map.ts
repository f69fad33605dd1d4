/**
 * Server-side translation of the action maps that prism objects carry in `status.actionMap`
 * (kappnav-prism.md §6.2, `?locale=`). Translation needs more than the map: every action's source config
 * map, whose namespace and `nls-configmap` say where its NLS maps live. That provenance is not part of the
 * served object, so each object carries a way to get the merged map under a symbol key: JSON and YAML
 * leave symbol keys out, object spreads (the store stamping resourceVersions) keep them.
 *
 * What is carried is a function, not the merged map itself: the store keeps an object whose content did
 * not change, and the provenance may change without the content changing (an action moved between maps,
 * an `nls-configmap` edited). The function asks the model, which merges against the current maps.
 */
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { MergedActionMap } from '../../actions/action-map.ts';
import type { ConfigMapSource } from '../../kam/config-map-source.ts';
import { translateActionMap } from '../../nls/translate-action-map.ts';

const ACTION_MAP_SOURCE = Symbol('merged action map source');

interface CarriesActionMap {
  [ACTION_MAP_SOURCE]?: () => MergedActionMap;
}

/** `object` with `source` attached; `source()` returns the merged map behind its `status.actionMap`. */
export function withActionMapSource<T extends KubeObject>(object: T, source: () => MergedActionMap): T {
  return { ...object, [ACTION_MAP_SOURCE]: source };
}

/** The localize step of reads: `status.actionMap` translated for `locale`; other objects unchanged. */
export function actionMapLocalizer(configMaps: ConfigMapSource) {
  return (object: KubeObject, locale: string): KubeObject => {
    const source = (object as CarriesActionMap)[ACTION_MAP_SOURCE];
    if (!source) return object;
    const status = object['status'] as Record<string, unknown> | undefined;
    return {
      ...object,
      status: { ...status, actionMap: translateActionMap(source(), locale, configMaps) },
    };
  };
}
