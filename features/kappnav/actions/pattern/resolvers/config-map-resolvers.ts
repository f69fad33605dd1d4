/**
 * `${builtin.<key>}` and `${global.<configmap>#<key>}` (kappnav-prism.md §3.6(e)): a data value of a
 * ConfigMap in the kappnav namespace. A missing map (or one without data) has no value; a missing key in
 * an existing map is an error of its own.
 */
import { patternErrors } from '../language/pattern-error.ts';
import type { ResolutionContext, Resolver } from '../language/resolution-context.ts';

function kappnavConfigValue(context: ResolutionContext, mapName: string, key: string): string | null {
  const { configMaps, kappnavNamespace } = context.services;
  const data = configMaps.getConfigMap(kappnavNamespace, mapName)?.data;
  if (!data) return null;
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  if (typeof value !== 'string') throw patternErrors.configMapKeyMissing(key);
  return value;
}

export const resolveBuiltin: Resolver = async (suffix, context) =>
  kappnavConfigValue(context, 'builtin', suffix);

export const resolveGlobal: Resolver = async (suffix, context) => {
  const hash = suffix.indexOf('#');
  if (hash < 0) throw patternErrors.globalSyntax(suffix);
  return kappnavConfigValue(context, suffix.slice(0, hash), suffix.slice(hash + 1));
};
