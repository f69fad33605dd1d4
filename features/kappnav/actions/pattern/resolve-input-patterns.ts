/**
 * `resolveInputPatterns` (kappnav-prism.md §3.8): for Deployments and Pods, input fields whose `values` is
 * exactly `["${func.podlist()}"]` get the pod names, and fields whose `default` is exactly
 * `"${resource.$.metadata.name}"` get the resource's name, so the UI can offer them directly. A value
 * that does not resolve is left as written. The given map is not modified.
 */
import { isJsonObject, type JsonObject } from '../../../../pkg/json/json-value.ts';
import type { ActionMap } from '../action-map.ts';
import type { PatternResolver } from './pattern-resolver.ts';

const PODLIST = '${func.podlist()}';
const RESOURCE_NAME = '${resource.$.metadata.name}';
const KINDS = new Set(['Deployment', 'Pod']);

/** The resolved text, or undefined when it does not resolve. */
async function tryResolve(resolver: PatternResolver, pattern: string): Promise<string | undefined> {
  try {
    const resolved = await resolver.resolve(pattern);
    return resolved.fullyResolved ? resolved.value : undefined;
  } catch {
    return undefined;
  }
}

async function podNames(resolver: PatternResolver): Promise<string[] | undefined> {
  const text = await tryResolve(resolver, PODLIST);
  const pods = text === undefined ? undefined : (JSON.parse(text) as { pods?: unknown }).pods;
  return Array.isArray(pods) ? pods.filter((pod): pod is string => typeof pod === 'string') : undefined;
}

async function resolvedField(field: JsonObject, resolver: PatternResolver): Promise<JsonObject> {
  const updated: JsonObject = { ...field };
  const values = field['values'];
  if (Array.isArray(values) && values.length === 1 && values[0] === PODLIST) {
    const pods = await podNames(resolver);
    if (pods) updated['values'] = pods;
  }
  if (field['default'] === RESOURCE_NAME) {
    const name = await tryResolve(resolver, RESOURCE_NAME);
    if (name !== undefined) updated['default'] = name;
  }
  return updated;
}

/** Maps the values of an object in order, keeping every key as an own property (`__proto__` included). */
async function mapValues(
  object: JsonObject,
  map: (value: JsonObject[string]) => Promise<JsonObject[string]>,
) {
  const entries: [string, JsonObject[string]][] = [];
  for (const [key, value] of Object.entries(object)) entries.push([key, await map(value)]);
  return Object.fromEntries(entries) as JsonObject;
}

export async function resolveInputPatterns(map: ActionMap, resolver: PatternResolver): Promise<ActionMap> {
  if (!KINDS.has(resolver.resource.kind ?? '') || !map.inputs) return map;
  const inputs = await mapValues(map.inputs, async (input) => {
    const fields = isJsonObject(input) ? input['fields'] : undefined;
    if (!isJsonObject(input) || !isJsonObject(fields)) return input;
    const resolvedFields = await mapValues(fields, async (field) =>
      isJsonObject(field) ? resolvedField(field, resolver) : field,
    );
    return { ...input, fields: resolvedFields };
  });
  return { ...map, inputs };
}
