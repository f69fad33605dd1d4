/**
 * What findings never show: a Secret's values. Whatever a policy's message renders (`{{ value }}`,
 * `{{ $.… }}`, an expectation naming an operand taken from the object) ends up in denials, warnings,
 * PolicyReports that every `view` user of the namespace reads, and logs, while `view` may not read the
 * Secret itself. So, as Kyverno's RedactSecret does, a Secret's `data`, `stringData` and annotations
 * (kubectl's last-applied-configuration repeats the data) show as "**REDACTED**"; their keys still show.
 *
 * Two layers, both applied where findings are made (evaluate.ts, validate-rule.ts), so no caller can
 * forget them:
 * - `shown` gives a message placeholder the value with the sensitive fields masked, before it is clipped
 *   (a clipped prefix of a secret would slip past any later search);
 * - `scrub` replaces every sensitive value still found in a finished text: an operand a rule compared with
 *   (`valueFrom`), a value a mutation would copy, a label value a mutation result is refused for.
 *
 * The verdict itself still reads the real values: whether a Secret complies is what the policy asks.
 */
import { isRecord } from '../../../pkg/json/json-value.ts';
import type { PathNode } from './jsonpath.ts';

export const REDACTED = '**REDACTED**';

/** Fields, as keys from the object's root, whose values a finding never shows, by `group/Kind`. */
const SENSITIVE_FIELDS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
  ['/Secret', [['data'], ['stringData'], ['metadata', 'annotations']]],
]);

/** Unquoted occurrences of shorter values are left alone: "a" would mask every article of a message. */
const MIN_BARE_CHARS = 8;

export interface Redaction {
  /** The value a message may show for this node. */
  shown(node: PathNode): unknown;
  /** The text with every sensitive value of the reviewed objects replaced. */
  scrub(text: string): string;
}

/** For kinds with nothing sensitive: values show as they are. */
export const NO_REDACTION: Redaction = { shown: (node) => node.value, scrub: (text) => text };

type Keys = readonly (string | number)[];

const startsWith = (keys: Keys, prefix: Keys) =>
  prefix.length <= keys.length && prefix.every((key, i) => keys[i] === key);

/** `value` found at `at`, with every sensitive field at or below it masked (keys kept). */
function masked(value: unknown, at: Keys, fields: readonly Keys[]): unknown {
  if (fields.some((field) => startsWith(at, field) && at.length > field.length)) return REDACTED;
  if (fields.some((field) => field.length === at.length && startsWith(at, field)))
    return isRecord(value) ? Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED])) : REDACTED;
  if (!fields.some((field) => startsWith(field, at))) return value;
  if (Array.isArray(value)) return value.map((item, index) => masked(item, [...at, index], fields));
  if (isRecord(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, masked(item, [...at, key], fields)]),
    );
  return value;
}

/** Every string under the sensitive fields of `object`. */
function sensitiveStrings(object: unknown, fields: readonly Keys[]): string[] {
  const found: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  for (const field of fields)
    collect(field.reduce<unknown>((v, key) => (isRecord(v) ? v[key as string] : undefined), object));
  return found;
}

function scrubber(values: readonly string[]): (text: string) => string {
  // Longest first, so that a value containing another is masked whole. Quoted (as JSON renders it in a
  // message) at any length; bare only from MIN_BARE_CHARS on.
  const quoted = [...new Set(values.map((v) => JSON.stringify(v)))].sort((a, b) => b.length - a.length);
  const bare = [
    ...new Set(
      values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]).filter((v) => v.length >= MIN_BARE_CHARS),
    ),
  ].sort((a, b) => b.length - a.length);
  const marker = JSON.stringify(REDACTED);
  return (text) => {
    let result = text;
    for (const value of quoted) result = result.replaceAll(value, marker);
    for (const value of bare) result = result.replaceAll(value, REDACTED);
    return result;
  };
}

/**
 * What findings about an object of `group/kind` may show; `objects` are the reviewed object and, on
 * UPDATE, the stored one (its values are as secret).
 */
export function redactionFor(group: string, kind: string, ...objects: unknown[]): Redaction {
  const fields = SENSITIVE_FIELDS.get(`${group}/${kind}`);
  if (!fields) return NO_REDACTION;
  const values = objects.flatMap((object) => sensitiveStrings(object, fields));
  const scrub = values.length > 0 ? scrubber(values) : (text: string) => text;
  return {
    shown: (node) =>
      masked(
        node.value,
        node.steps.map((step) => step.key),
        fields,
      ),
    scrub,
  };
}
