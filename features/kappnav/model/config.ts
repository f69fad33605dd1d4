/**
 * The `kappnav-config` ConfigMap (namespace `kappnav`) read into typed settings (kappnav-prism.md §4.1,
 * §2.4 frontier).
 *
 * Every key is optional and every malformed value falls back to its documented default. Instead of
 * failing (the Go controller refused to start without `status-unknown` and `app-status-precedence`), the
 * reader returns one sentence per problem for the caller to log once per ConfigMap version.
 */
import { isRecord } from '../../../pkg/json/json-value.ts';
import { readConfigValue } from '../../../pkg/json/lenient-json.ts';
import { parseNamespaceList } from './namespace-list.ts';

export interface StatusColorMapping {
  /** Status value → color name, e.g. `Normal` → `GREEN`. */
  values: Readonly<Record<string, string>>;
  /** Color name → color, e.g. `GREEN` → `#5aa700`. */
  colors: Readonly<Record<string, string>>;
}

export interface KappnavConfig {
  statusColorMapping: StatusColorMapping;
  /** Most severe first: an application takes the first of these that one of its components has. */
  statusPrecedence: readonly string[];
  /** The value for "cannot tell", also what a component without a status counts as. */
  statusUnknown: string;
  /** The namespaces kAppNav works in (`app-namespaces`); undefined means every namespace. */
  appNamespaces: ReadonlySet<string> | undefined;
  /** The service account of command-action Job pods (`kappnav-sa-name`). */
  serviceAccountName: string;
}

export const KAPPNAV_CONFIG_NAME = 'kappnav-config';

export const DEFAULT_KAPPNAV_CONFIG: KappnavConfig = Object.freeze({
  statusColorMapping: Object.freeze({
    values: Object.freeze({ Normal: 'GREEN', Warning: 'YELLOW', Problem: 'RED', Unknown: 'GREY' }),
    colors: Object.freeze({ GREEN: '#5aa700', YELLOW: '#B4B017', RED: '#A74343', GREY: '#808080' }),
  }),
  statusPrecedence: Object.freeze(['Problem', 'Warning', 'Unknown', 'Normal']),
  statusUnknown: 'Unknown',
  appNamespaces: undefined,
  serviceAccountName: 'kappnav-sa',
});

export interface ReadConfig {
  config: KappnavConfig;
  /** One sentence per ignored value, naming the key and the default used instead. */
  problems: string[];
}

/** What one key's reader found: a value, or why the default applies. */
type KeyResult<T> = { value: T } | { problem: string };

function parse(text: unknown): KeyResult<unknown> {
  try {
    return { value: readConfigValue(text) };
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` };
  }
}

function readPrecedence(text: unknown): KeyResult<readonly string[]> {
  const parsed = parse(text);
  if ('problem' in parsed) return parsed;
  const list = parsed.value;
  if (!Array.isArray(list) || list.length === 0) return { problem: 'is not a non-empty list' };
  if (!list.every((v) => typeof v === 'string' && v.trim() !== ''))
    return { problem: 'has an entry that is not a non-empty string' };
  return { value: list.map((v: string) => v.trim()) };
}

function readStringMap(value: unknown, name: string): KeyResult<Record<string, string>> {
  if (!isRecord(value)) return { problem: `has no "${name}" object` };
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' && typeof entry !== 'number')
      return { problem: `"${name}.${key}" is not a string` };
    result[key] = String(entry);
  }
  return { value: result };
}

function readColorMapping(text: unknown): KeyResult<StatusColorMapping> {
  const parsed = parse(text);
  if ('problem' in parsed) return parsed;
  const values = readStringMap(isRecord(parsed.value) ? parsed.value.values : undefined, 'values');
  if ('problem' in values) return values;
  const colors = readStringMap(isRecord(parsed.value) ? parsed.value.colors : undefined, 'colors');
  if ('problem' in colors) return colors;
  return { value: { values: values.value, colors: colors.value } };
}

function readName(text: unknown): KeyResult<string> {
  if (typeof text !== 'string' || text.trim() === '') return { problem: 'is empty' };
  return { value: text.trim() };
}

/**
 * The frontier: no entries permits every namespace. Entries that are not namespace names are reported and
 * skipped, and when none is left nothing is permitted, because the list meant to restrict kAppNav.
 */
function readAppNamespaces(text: unknown, problems: string[]): ReadonlySet<string> | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') {
    problems.push(`${KAPPNAV_CONFIG_NAME} app-namespaces is not a string; every namespace is permitted`);
    return undefined;
  }
  const { namespaces, invalid } = parseNamespaceList(text);
  for (const name of invalid)
    problems.push(
      `${KAPPNAV_CONFIG_NAME} app-namespaces: ${JSON.stringify(name)} is not a namespace name; it is ignored`,
    );
  return namespaces.length === 0 && invalid.length === 0 ? undefined : new Set(namespaces);
}

/** Reads `data` of the kappnav-config ConfigMap; undefined (no ConfigMap) gives the defaults. */
export function readKappnavConfig(data: Readonly<Record<string, unknown>> | undefined): ReadConfig {
  const problems: string[] = [];
  function take<T>(key: string, read: (text: unknown) => KeyResult<T>, fallback: T): T {
    if (data?.[key] === undefined) return fallback;
    const result = read(data[key]);
    if ('value' in result) return result.value;
    problems.push(
      `${KAPPNAV_CONFIG_NAME} ${key} ${result.problem}; using the default ${JSON.stringify(fallback)}`,
    );
    return fallback;
  }

  const defaults = DEFAULT_KAPPNAV_CONFIG;
  const config: KappnavConfig = {
    statusColorMapping: take('status-color-mapping', readColorMapping, defaults.statusColorMapping),
    statusPrecedence: take('app-status-precedence', readPrecedence, defaults.statusPrecedence),
    statusUnknown: take('status-unknown', readName, defaults.statusUnknown),
    appNamespaces: readAppNamespaces(data?.['app-namespaces'], problems),
    serviceAccountName: take('kappnav-sa-name', readName, defaults.serviceAccountName),
  };
  if (!config.statusPrecedence.includes(config.statusUnknown))
    problems.push(
      `${KAPPNAV_CONFIG_NAME} status-unknown ${JSON.stringify(config.statusUnknown)} is not in app-status-precedence, so components without a status do not count towards their application`,
    );
  return { config, problems };
}

/** Whether kAppNav works in `namespace` (the `app-namespaces` frontier; no list permits every namespace). */
export function isNamespacePermitted(
  config: Pick<KappnavConfig, 'appNamespaces'>,
  namespace: string,
): boolean {
  return config.appNamespaces === undefined || config.appNamespaces.has(namespace);
}
