/**
 * Defensive reading of objects whose JSON types are not guaranteed (see `types.ts`), and the field paths
 * and value renderings that violation messages use.
 *
 * Every reader takes `unknown`, follows own properties only (a key such as `__proto__` or `constructor`
 * in a user's map must not reach Object.prototype) and answers `undefined` or an empty list for anything
 * of the wrong type, so no rule can throw on odd input.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Dotted paths split once: the rules read the same few dozen paths for every review, and splitting them
 * anew was the largest single cost of an evaluation. Paths built from a user's map keys must not grow the
 * cache without bound, hence the cap (beyond it paths are split as before).
 */
const splitPaths = new Map<string, readonly string[]>();
const MAX_SPLIT_PATHS = 1024;

function keysOf(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    keys = path.split('.');
    if (splitPaths.size < MAX_SPLIT_PATHS) splitPaths.set(path, keys);
  }
  return keys;
}

/** The value at a dotted path such as `spec.grpc.reflection`, or undefined when a step is missing. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of keysOf(path)) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

export function readString(value: unknown, path: string): string | undefined {
  const found = readPath(value, path);
  return typeof found === 'string' ? found : undefined;
}

/** The string entries of the list at `path`; entries of other types are skipped (their format rule reports them). */
export function readStrings(value: unknown, path: string): string[] {
  return listEntries(value, path).map((entry) => entry.value);
}

/** The string entries of the list at `path` with their paths, for messages about single entries. */
export function listEntries(value: unknown, path: string): { path: string; value: string }[] {
  const list = readPath(value, path);
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown, index) =>
    typeof entry === 'string' ? [{ path: indexPath(path, index), value: entry }] : [],
  );
}

export function readRecord(value: unknown, path: string): Record<string, unknown> | undefined {
  const found = readPath(value, path);
  return isRecord(found) ? found : undefined;
}

/** A label value (label keys contain dots, so they cannot go through a dotted path). */
export function readLabel(value: unknown, key: string): string | undefined {
  const labels = readRecord(value, 'metadata.labels');
  const label = labels && Object.hasOwn(labels, key) ? labels[key] : undefined;
  return typeof label === 'string' ? label : undefined;
}

/** Objects with `metadata.deletionTimestamp` are on their way out and no longer hold anything up. */
export function isBeingDeleted(value: unknown): boolean {
  return readPath(value, 'metadata.deletionTimestamp') !== undefined;
}

/** Shortens text for messages: Kubernetes truncates long warnings, so a message must stay near 200 characters. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const MAX_KEY_CHARS = 40;
const MAX_VALUE_CHARS = 90;

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** `spec.versionWeights["1.0.0"]`: map keys are quoted because they may hold dots. */
export function keyPath(base: string, key: string): string {
  return `${base}[${clip(JSON.stringify(key), MAX_KEY_CHARS)}]`;
}

/** JSON for a message; an absent field has no JSON form, so it reads `(absent)`. */
export function renderValue(value: unknown, max = MAX_VALUE_CHARS): string {
  if (value === undefined) return '(absent)';
  try {
    return clip(JSON.stringify(value) ?? String(value), max);
  } catch {
    // BigInt or a cycle cannot come from an AdmissionReview, but a message must never be the reason we fail.
    return clip(String(value), max);
  }
}

/**
 * Structural equality of JSON values, whatever the order of object keys: the API server serialises
 * stored objects with sorted keys, while objects built here keep insertion order.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((entry: unknown, index) => sameJson(entry, b[index]))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]))
  );
}
