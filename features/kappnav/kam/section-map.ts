/**
 * The "section-map" of a resource (kappnav-prism.md §3.9, `SectionConfigMapProcessor`): the merged
 * `sections` of its section maps, and for each enabled section the labels and annotations its datasource
 * selects from the resource.
 */
import type { JsonValue } from '../../../pkg/json/lenient-json.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { candidateMaps } from './candidate-maps.ts';
import type { ConfigMapSource } from './config-map-source.ts';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { locateConfigMaps } from './located-maps.ts';
import type { MappingSubject } from './mapping-subject.ts';
import { primitiveText } from './json-object.ts';
import { isJsonObject, type JsonObject } from '../../../pkg/json/json-value.ts';
import { mergeConfigMaps, type MergeLayout } from './merge-config-maps.ts';

export const SECTION_LAYOUT: MergeLayout = { lists: ['sections', 'section-datasources'], dictionaries: [] };

export type SectionDataItem = { label: string; value: string } | { annotation: string; value: string };

export interface SectionData {
  name: string;
  /** Omitted when the datasource selects nothing. */
  data?: SectionDataItem[];
}

export interface SectionMap {
  sections?: JsonValue[];
  'section-data'?: SectionData[];
}

type Source = 'label' | 'annotation';

function textList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The items one datasource selects from labels or annotations: the explicitly named keys present on the
 * resource, then the keys starting with a listed prefix, without duplicates. The reference emitted only
 * the last named key found and failed on a datasource without a prefix list (QUIRK fixes).
 */
function selectItems(
  datasource: JsonObject,
  source: Source,
  entries: Record<string, unknown>,
): SectionDataItem[] {
  const [names, prefixes] =
    source === 'label'
      ? [textList(datasource['labels']), textList(datasource['label-prefixes'])]
      : [textList(datasource['annotations']), textList(datasource['annotation-prefixes'])];
  const keys = new Set(names.filter((key) => Object.hasOwn(entries, key)));
  for (const prefix of prefixes) {
    for (const key of Object.keys(entries)) if (key.startsWith(prefix)) keys.add(key);
  }
  const items: SectionDataItem[] = [];
  for (const key of keys) {
    const value = primitiveText(entries[key]);
    if (value === undefined) continue;
    items.push(source === 'label' ? { label: key, value } : { annotation: key, value });
  }
  return items;
}

function objectsIn(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** `type` is `labels`, `annotations` or `labels-annotations`: the parts name the sources the datasource reads. */
function sourcesOf(datasource: JsonObject): Source[] {
  const type = datasource['type'];
  const parts = typeof type === 'string' ? type.split('-').map((part) => part.trim()) : [];
  return (['label', 'annotation'] as const).filter((source) => parts.includes(`${source}s`));
}

/** A section shows when it names no `enablement-label`, or the resource has a label or annotation of that key. */
function isEnabled(
  section: JsonObject,
  labels: Record<string, unknown>,
  annotations: Record<string, unknown>,
): boolean {
  const key = section['enablement-label'];
  if (key === undefined) return true;
  return (
    typeof key === 'string' &&
    (primitiveText(labels[key]) !== undefined || primitiveText(annotations[key]) !== undefined)
  );
}

/** The section-map output for merged section-map data and the resource it describes. */
export function sectionMapOf(merged: JsonObject, resource: KubeObject): SectionMap {
  const sections = merged['sections'];
  if (!Array.isArray(sections) || sections.length === 0) return {};
  const labels: Record<string, unknown> = resource.metadata?.labels ?? {};
  const annotations: Record<string, unknown> = resource.metadata?.annotations ?? {};
  const datasources = new Map<string, JsonObject>();
  for (const datasource of objectsIn(merged['section-datasources'])) {
    const name = datasource['name'];
    if (typeof name === 'string') datasources.set(name, datasource);
  }
  const sectionData: SectionData[] = [];
  const emitted = new Set<string>();
  for (const section of objectsIn(sections)) {
    const name = section['datasource'];
    const datasource = typeof name === 'string' ? datasources.get(name) : undefined;
    // One entry per datasource, even when several sections share it: the UI looks entries up by name.
    if (
      typeof name !== 'string' ||
      !datasource ||
      emitted.has(name) ||
      !isEnabled(section, labels, annotations)
    )
      continue;
    emitted.add(name);
    const sources = sourcesOf(datasource);
    const data = [
      ...(sources.includes('label') ? selectItems(datasource, 'label', labels) : []),
      ...(sources.includes('annotation') ? selectItems(datasource, 'annotation', annotations) : []),
    ];
    sectionData.push(data.length > 0 ? { name, data } : { name });
  }
  return { sections, 'section-data': sectionData };
}

/** The section-map of a resource; `{}` for a resource without a name, as the reference computes none. */
export function sectionMapFor(
  subject: MappingSubject,
  resource: KubeObject,
  kams: readonly KindActionMapping[],
  source: ConfigMapSource,
): SectionMap {
  if (!subject.name) return {};
  const located = locateConfigMaps(candidateMaps(subject, kams, 'sections'), source);
  return sectionMapOf(mergeConfigMaps(located, SECTION_LAYOUT).data, resource);
}
