/**
 * Field validation of request bodies (`?fieldValidation=Strict|Warn|Ignore`, what kubectl's
 * `--validate` asks the server for): the paths of fields the kind's schema does not declare, written as
 * kube-apiserver writes them (`spec.resource.nmae`).
 */
import { isRecord } from '../../pkg/json/json-value.ts';
import type { JsonSchema } from '../resource/json-schema.ts';

export function unknownFields(
  schema: JsonSchema,
  value: unknown,
  definitions: Readonly<Record<string, JsonSchema>>,
  path = '',
): string[] {
  const resolved = schema.ref ? (definitions[schema.ref] ?? {}) : schema;
  if (resolved['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value) && resolved.items)
    return value.flatMap((item, index) =>
      unknownFields(resolved.items!, item, definitions, `${path}[${index}]`),
    );
  if (!isRecord(value) || resolved.type !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const declared = resolved.properties?.[key];
    if (declared) found.push(...unknownFields(declared, child, definitions, childPath));
    else if (typeof resolved.additionalProperties === 'object')
      found.push(...unknownFields(resolved.additionalProperties, child, definitions, childPath));
    else if (resolved.additionalProperties !== true) found.push(childPath);
  }
  return found;
}
