/** JSON objects as the map code reads them from lenient config-map values (never arrays or null). */
import type { JsonValue } from '../../../pkg/json/lenient-json.ts';

export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON primitive as text (Gson's `getAsString`): numbers and booleans become text; anything else is undefined. */
export function primitiveText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
