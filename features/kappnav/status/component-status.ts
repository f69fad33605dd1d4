/**
 * The kAppNav status of a non-application resource, from its status mapping (kappnav-prism.md §4.3).
 *
 * Whatever goes wrong, the answer is a status: the configured "unknown" value with a flyover that says
 * why. When the mapping itself is at fault (it does not parse, its script throws, loops or returns
 * something that is not a status) the outcome also carries a `problem` for the caller to log once.
 */
import type { JsonValue } from '../../../pkg/json/lenient-json.ts';
import { parseLenientJson } from '../../../pkg/json/lenient-json.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ScriptRunner } from '../../../pkg/sandbox/script-sandbox.ts';
import type { KappnavConfig } from '../model/config.ts';
import { resolveLeaf } from '../model/jsonpath-subset.ts';
import type { FlyoverNls, KappnavStatus, StatusOutcome } from './kappnav-status.ts';
import type { StatusMapLocator } from '../kam/status-map-locator.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import type { ReadStatusMap, StatusMap } from './status-map.ts';
import { isJsonObject } from '../../../pkg/json/json-value.ts';
import { readStatusMap } from './status-map.ts';

export interface StatusMapSettings {
  sandbox: ScriptRunner;
  config: Pick<KappnavConfig, 'statusUnknown'>;
  /** Time budget of one `algorithm` call; the sandbox's default when absent. */
  timeoutMs?: number;
}

const STATUS_PLACEHOLDER = '${status}';
const SHOWN_RESULT_LENGTH = 80;

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function unknownStatus(config: StatusMapSettings['config'], flyover: string): StatusOutcome {
  return { status: { value: config.statusUnknown, flyover } };
}

/** Unknown because the map at `source` is at fault; `detail` continues "status mapping <source> ...". */
function faultyMap(config: StatusMapSettings['config'], source: string, detail: string): StatusOutcome {
  const problem = `status mapping ${source} ${detail}`;
  return { status: { value: config.statusUnknown, flyover: `The ${problem}.` }, problem };
}

/**
 * kAppNav's `hasKnownStatus`: any object whose `value` is a primitive is a status; its other members
 * besides `flyover` and `flyover.nls` are not kept, since nothing stores them.
 */
function toStatus(candidate: JsonValue | undefined): KappnavStatus | undefined {
  if (!isJsonObject(candidate) || !isPrimitive(candidate.value)) return undefined;
  const status: KappnavStatus = {
    value: String(candidate.value),
    flyover: isPrimitive(candidate.flyover) ? String(candidate.flyover) : '',
  };
  const nls = candidate['flyover.nls'];
  if (typeof nls === 'string' || Array.isArray(nls)) status['flyover.nls'] = nls;
  return status;
}

function substitute(text: string, value: string): string {
  return text.split(STATUS_PLACEHOLDER).join(value);
}

/** `${status}` in the flyover and in each string of flyover.nls becomes the matched value. */
function withValue(status: KappnavStatus, value: string): KappnavStatus {
  const nls = status['flyover.nls'];
  const result: KappnavStatus = { value: status.value, flyover: substitute(status.flyover, value) };
  if (nls !== undefined)
    result['flyover.nls'] = (
      typeof nls === 'string'
        ? substitute(nls, value)
        : nls.map((e) => (typeof e === 'string' ? substitute(e, value) : e))
    ) satisfies FlyoverNls;
  return result;
}

function known(
  candidate: JsonValue | undefined,
  map: StatusMap,
  options: StatusMapSettings,
  what: string,
): StatusOutcome {
  const status = toStatus(candidate);
  if (status) return { status };
  const shown = JSON.stringify(candidate) ?? 'nothing';
  return faultyMap(
    options.config,
    map.source,
    `${what} ${shown.length > SHOWN_RESULT_LENGTH ? `${shown.slice(0, SHOWN_RESULT_LENGTH)}…` : shown}, which is not a status with a value`,
  );
}

async function runAlgorithm(
  map: Extract<StatusMap, { rule: 'algorithm' }>,
  status: unknown,
  options: StatusMapSettings,
) {
  const call = {
    source: map.script,
    functionName: 'getStatus',
    // kAppNav passes the status as JSON text, and "" when the resource has none.
    args: [isJsonObject(status) ? JSON.stringify(status) : ''],
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    // Workers of their own: snippets that API users run cannot hold status algorithms up.
    lane: 'status' as const,
  };
  let result = await options.sandbox.call(call);
  // A busy machine can starve a sandbox worker past the time budget once; a script that really loops or
  // throws fails the second run too, and only then does the failure count (and get remembered).
  if (!result.ok) result = await options.sandbox.call(call);
  if (!result.ok) return faultyMap(options.config, map.source, `failed in its algorithm: ${result.error}`);
  if (result.value === null)
    return faultyMap(options.config, map.source, 'gave no status from its algorithm');
  let parsed: JsonValue;
  try {
    parsed = parseLenientJson(result.value);
  } catch {
    parsed = result.value;
  }
  return known(parsed, map, options, 'gave from its algorithm');
}

/** Evaluates `map` for `resource`; never rejects. */
export async function evaluateStatusMap(
  map: StatusMap,
  resource: KubeObject,
  options: StatusMapSettings,
): Promise<StatusOutcome> {
  const status = resource.status;
  switch (map.rule) {
    case 'exists':
      return known(map.status, map, options, 'gives under exists');
    case 'algorithm':
      return runAlgorithm(map, status, options);
    case 'jsonpath': {
      // QUIRK fixed: kAppNav's Java API threw on a resource without `status` (an HTTP 500 the controller
      // retried). A resource that reports nothing yet has no value at the path, so it is Unknown, not `else`.
      if (!isJsonObject(status))
        return unknownStatus(options.config, `${resource.kind ?? 'The resource'} reports no status yet.`);
      const value = resolveLeaf(status, map.steps);
      if (value === null)
        return unknownStatus(options.config, `The status has no value at ${map.expression}.`);
      // Keys compare exactly, as Kubernetes writes the values (`Running`, not `running`).
      const template = Object.hasOwn(map.matches, value) ? map.matches[value] : map.otherwise;
      if (template === undefined)
        return unknownStatus(
          options.config,
          `${JSON.stringify(value)} at ${map.expression} is not a mapped value.`,
        );
      const outcome = known(template, map, options, `gives for ${JSON.stringify(value)}`);
      return outcome.problem ? outcome : { status: withValue(outcome.status, value) };
    }
  }
}

/** Distinct `status` inputs whose `algorithm` outcome is remembered, per status map. */
const REMEMBERED_RESULTS = 256;

/**
 * Component status through a locator: finds the mapping, reads it once per ConfigMap object (informer
 * caches replace objects on change, so identity is a safe cache key) and evaluates it.
 *
 * An `algorithm` is a function of the `status` alone, and most resources of a kind report one of a few
 * statuses (`{replicas: 2, availableReplicas: 2}`), so its outcomes are remembered per map and input:
 * a thousand Deployments cost a few script runs, not a thousand, and a script that loops costs its time
 * budget once per input, not once per resource and event.
 */
export class ComponentStatusEngine {
  private readonly read = new WeakMap<ConfigMap, ReadStatusMap>();
  private readonly results = new WeakMap<ConfigMap, Map<string, Promise<StatusOutcome>>>();

  constructor(
    private readonly locator: StatusMapLocator,
    private readonly options: StatusMapSettings,
  ) {}

  statusOf(resource: KubeObject): Promise<StatusOutcome> {
    const configMap = this.locator.locate(resource);
    if (!configMap) {
      const kind = resource.kind ?? 'this kind';
      return Promise.resolve({
        status: {
          value: this.options.config.statusUnknown,
          flyover: `No status mapping applies to ${kind}.`,
        },
        problem: `no status mapping applies to ${kind}, not even kappnav.status-mapping-unregistered`,
      });
    }
    let read = this.read.get(configMap);
    if (!read) {
      read = readStatusMap(configMap);
      this.read.set(configMap, read);
    }
    if ('problem' in read) return Promise.resolve(faultyMap(this.options.config, read.source, read.problem));
    if (read.map.rule !== 'algorithm') return evaluateStatusMap(read.map, resource, this.options);
    return this.remembered(configMap, read.map, resource);
  }

  private remembered(configMap: ConfigMap, map: StatusMap, resource: KubeObject): Promise<StatusOutcome> {
    let results = this.results.get(configMap);
    if (!results) this.results.set(configMap, (results = new Map()));
    const input = JSON.stringify(resource.status ?? null);
    let outcome = results.get(input);
    if (!outcome) {
      outcome = evaluateStatusMap(map, resource, this.options);
      // Insertion order makes the first key the oldest one.
      if (results.size >= REMEMBERED_RESULTS) results.delete(results.keys().next().value!);
      results.set(input, outcome);
    }
    return outcome;
  }
}
