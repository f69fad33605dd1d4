/**
 * Server-side translation of a merged action map for a locale (kappnav-prism.md §6.2): action `text` and
 * `description`, and input field `label`, `description` and `default`, each through the NLS maps of the
 * config map it came from. The `*.nls` keys stay in the output, so a UI can still translate itself.
 */
import type { ConfigMapSource } from '../kam/config-map-source.ts';
import { isJsonObject, type JsonObject } from '../../../pkg/json/json-value.ts';
import type { MapOrigin } from '../kam/merge-config-maps.ts';
import { ACTION_GROUPS, type ActionMap, type MergedActionMap } from '../actions/action-map.ts';
import { NlsCatalog } from './nls-catalog.ts';

const ACTION_FIELDS = ['text', 'description'] as const;
const INPUT_FIELD_FIELDS = ['label', 'description', 'default'] as const;

function translated<T extends JsonObject>(holder: T, fields: readonly string[], catalog: NlsCatalog): T {
  const copy: JsonObject = { ...holder };
  for (const field of fields) {
    const text = catalog.translate(holder, field);
    if (text !== undefined) copy[field] = text;
  }
  return copy as T;
}

function translatedInput(input: JsonObject, catalog: NlsCatalog): JsonObject {
  const fields = input['fields'];
  if (!isJsonObject(fields)) return input;
  const entries = Object.entries(fields).map(([name, field]) => [
    name,
    isJsonObject(field) ? translated(field, INPUT_FIELD_FIELDS, catalog) : field,
  ]);
  return { ...input, fields: Object.fromEntries(entries) as JsonObject };
}

export function translateActionMap(
  merged: MergedActionMap,
  locale: string,
  configMaps: ConfigMapSource,
): ActionMap {
  const catalogs = new Map<MapOrigin, NlsCatalog>();
  const catalogFor = (group: string, name: string): NlsCatalog | undefined => {
    const origin = merged.origins.get(group)?.get(name);
    if (!origin) return undefined;
    let catalog = catalogs.get(origin);
    if (!catalog) catalogs.set(origin, (catalog = NlsCatalog.forOrigin(configMaps, origin, locale)));
    return catalog;
  };

  const map: ActionMap = { ...merged.map };
  for (const group of ACTION_GROUPS) {
    const actions = merged.map[group];
    if (!actions) continue;
    map[group] = actions.map((action) => {
      const catalog = catalogFor(group, action.name);
      return catalog ? translated(action, ACTION_FIELDS, catalog) : action;
    });
  }
  if (merged.map.inputs) {
    const entries = Object.entries(merged.map.inputs).map(([name, input]) => {
      const catalog = catalogFor('inputs', name);
      return [name, catalog && isJsonObject(input) ? translatedInput(input, catalog) : input];
    });
    map.inputs = Object.fromEntries(entries) as JsonObject;
  }
  return map;
}
