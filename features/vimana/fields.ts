/**
 * Defensive reading of objects whose JSON types are not guaranteed (see `types.ts`), and the field paths
 * and value renderings that violation messages use.
 *
 * Every reader takes `unknown`, follows own properties only (a key such as `__proto__` or `constructor`
 * in a user's map must not reach Object.prototype) and answers `undefined` or an empty list for anything
 * of the wrong type, so no rule can throw on odd input.
 */
import { clip, isRecord } from '../../pkg/json/json-value.ts';

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

const MAX_KEY_CHARS = 40;
/** How much of a value a violation message shows. */
export const MAX_VALUE_CHARS = 90;

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** `spec.versionWeights["1.0.0"]`: map keys are quoted because they may hold dots. */
export function keyPath(base: string, key: string): string {
  return `${base}[${clip(JSON.stringify(key), MAX_KEY_CHARS)}]`;
}
