/**
 * The subset of JSON Schema (OpenAPI's schema object) the served kinds are described with; both the v2
 * and the v3 documents take these as they are, only the `$ref` prefix differs.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: string[];
  /** A definition of the same document, by name: `#/definitions/<name>` (v2) or `#/components/schemas/<name>` (v3). */
  ref?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-list-type'?: string;
}

/** Convenience builders keep the resource schemas short and uniform. */
export const string = (description: string): JsonSchema => ({ type: 'string', description });
export const integer = (description: string): JsonSchema => ({
  type: 'integer',
  format: 'int32',
  description,
});
export const object = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  properties,
});
export const stringList = (description: string): JsonSchema => ({
  type: 'array',
  description,
  items: { type: 'string' },
});
/** Any JSON object, kept as it is (kubectl explain shows the description; validation allows anything). */
export const freeForm = (description: string): JsonSchema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
export const reference = (name: string, description?: string): JsonSchema => ({
  ref: name,
  ...(description ? { description } : {}),
});
