/** A JSON primitive as text (Gson's `getAsString`): numbers and booleans become text; anything else is undefined. */
export function primitiveText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
