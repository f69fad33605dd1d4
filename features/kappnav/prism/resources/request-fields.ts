/**
 * Fields that several create-only resources read from their request body the same way: a resource
 * reference, and user input for `${input.*}`. Problems are collected as 422 causes, one per field.
 */
import type { ResourceReference } from '../actions/action-context.ts';
import { primitiveText } from '../../kam/json-object.ts';
import { object, string, type JsonSchema } from '../../../../aggregated-api/resource/json-schema.ts';

export const RESOURCE_REFERENCE_SCHEMA = object('The resource.', {
  apiVersion: string(
    'APIVersion of the resource (group/version); the kind alone is enough when only one group serves it.',
  ),
  kind: string('Kind of the resource.'),
  namespace: string('Namespace of the resource; empty for cluster-scoped kinds.'),
  name: string('Name of the resource.'),
});

export const INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'User input: field name to value, behind ${input.<field>}.',
  additionalProperties: { type: 'string' },
};

export type Cause = { field: string; message: string };

/** The optional user input: a map of field to primitive value, as text. */
export function readInput(value: unknown, field: string, causes: Cause[]): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    causes.push({ field, message: 'Invalid value: must be a map of field names to values' });
    return {};
  }
  const input: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    const text = primitiveText(entry);
    if (text === undefined)
      causes.push({ field: `${field}.${key}`, message: 'Invalid value: must be a string' });
    else input[key] = text;
  }
  return input;
}

/** A resource reference at `field`: kind and name required, apiVersion and namespace optional strings. */
export function readReference(value: unknown, field: string, causes: Cause[]): ResourceReference {
  const reference = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  for (const key of ['kind', 'name'] as const)
    if (typeof reference[key] !== 'string' || reference[key] === '')
      causes.push({ field: `${field}.${key}`, message: 'Required value' });
  for (const key of ['apiVersion', 'namespace'] as const)
    if (reference[key] !== undefined && typeof reference[key] !== 'string')
      causes.push({ field: `${field}.${key}`, message: 'Invalid value: must be a string' });
  return reference as unknown as ResourceReference;
}
