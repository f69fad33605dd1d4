/**
 * JSON values as they arrive from users and the API server: types, equality, and renderings for messages.
 * Readers follow own properties only, so a key such as `__proto__` in a user's map never reaches a prototype.
 */

import type { JsonValue } from './lenient-json.ts';

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type JsonObject = { [key: string]: JsonValue };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `isRecord` for values that came from JSON, so their members are JSON too. */
export const isJsonObject = isRecord as (value: unknown) => value is JsonObject;

/** The JSON type of a value; `integer` is reported as such (and is also a `number`). */
export function jsonTypeOf(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return undefined;
  }
}

export function hasJsonType(value: unknown, type: JsonType): boolean {
  const actual = jsonTypeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Absent and null are the same to Kubernetes (a null field is dropped), so they are to policies. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/**
 * Structural equality of JSON values, whatever the order of object keys: the API server serialises
 * stored objects with sorted keys, while objects built here keep insertion order.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]))
    );
  }
  return false;
}

/** Shortens text for messages: Kubernetes truncates long warnings, so a message must stay short. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** JSON for a message, clipped to `max` characters; an absent value has no JSON form, so it reads `(absent)`. */
export function renderValue(value: unknown, max = Infinity): string {
  if (value === undefined) return '(absent)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // BigInt or a cycle cannot come from a request, but a message must never be the reason we fail.
    text = String(value);
  }
  return clip(text, max);
}
