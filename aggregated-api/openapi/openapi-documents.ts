/**
 * OpenAPI documents of the group version, derived from the resource definitions: v2 (`/openapi/v2`,
 * merged by kube-aggregator into the cluster's document) and v3 (`/openapi/v3/apis/<group>/<version>`,
 * which `kubectl explain` and kubectl's field validation read). Each kind carries
 * `x-kubernetes-group-version-kind`, which is how kubectl finds the schema of a kind.
 */
import { rootPathOf, type GroupVersion } from '../resource/group-version.ts';
import { listKind, type ResourceDefinition } from '../resource/resource-definition.ts';
import { reference, string, type JsonSchema } from '../resource/json-schema.ts';
import { LIST_META, META_SCHEMAS, OBJECT_META, STATUS } from './meta-schemas.ts';

/** Definitions are named after the reversed group, as kube-apiserver names CRD kinds: io.kappnav.prism.v1.<Kind>. */
function definitionName(served: GroupVersion, kind: string): string {
  return `${served.group.split('.').reverse().join('.')}.${served.version}.${kind}`;
}

const gvk = (served: GroupVersion, kind: string) => [{ group: served.group, version: served.version, kind }];

function kindSchema(served: GroupVersion, definition: ResourceDefinition): JsonSchema {
  return {
    type: 'object',
    description: definition.description,
    properties: {
      apiVersion: string('APIVersion defines the versioned schema of this representation of an object.'),
      kind: string('Kind is a string value representing the REST resource this object represents.'),
      metadata: reference(OBJECT_META, 'Standard object metadata.'),
      ...definition.properties,
    },
    'x-kubernetes-group-version-kind': gvk(served, definition.kind),
  };
}

function listSchema(served: GroupVersion, definition: ResourceDefinition): JsonSchema {
  return {
    type: 'object',
    description: `${listKind(definition)} is a list of ${definition.kind}.`,
    required: ['items'],
    properties: {
      apiVersion: string('APIVersion defines the versioned schema of this representation of an object.'),
      kind: string('Kind is a string value representing the REST resource this object represents.'),
      metadata: reference(LIST_META, 'Standard list metadata.'),
      items: {
        type: 'array',
        description: `The ${definition.resource}.`,
        items: reference(definitionName(served, definition.kind)),
      },
    },
    'x-kubernetes-group-version-kind': gvk(served, listKind(definition)),
  };
}

/** Every schema the documents define, by name. */
function schemas(
  served: GroupVersion,
  definitions: readonly ResourceDefinition[],
): Record<string, JsonSchema> {
  const result: Record<string, JsonSchema> = { ...META_SCHEMAS };
  for (const definition of definitions) {
    result[definitionName(served, definition.kind)] = kindSchema(served, definition);
    if (definition.verbs.includes('list'))
      result[definitionName(served, listKind(definition))] = listSchema(served, definition);
  }
  return result;
}

interface Parameter {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  in: 'query' | 'path';
}

const LIST_PARAMETERS: Parameter[] = [
  ['labelSelector', 'A selector to restrict the list of returned objects by their labels.', 'string'],
  ['fieldSelector', 'A selector to restrict the list of returned objects by their fields.', 'string'],
  ['limit', 'The maximum number of responses to return for a list call.', 'integer'],
  ['continue', 'The continue option, from a previous paginated list call.', 'string'],
  ['resourceVersion', 'Sets a constraint on what resource versions a request may be served from.', 'string'],
  ['resourceVersionMatch', 'Determines how resourceVersion is applied to list calls.', 'string'],
  ['watch', 'Watch for changes to the described resources and return them as a stream of events.', 'boolean'],
  ['allowWatchBookmarks', 'Requests watch events with type "BOOKMARK".', 'boolean'],
  [
    'sendInitialEvents',
    'Send synthetic ADDED events for the current state, then a bookmark, then changes.',
    'boolean',
  ],
  ['timeoutSeconds', 'Timeout for the list/watch call.', 'integer'],
].map(([name, description, type]) => ({ name, description, type, in: 'query' }) as Parameter);

const DRY_RUN: Parameter = {
  name: 'dryRun',
  description: 'When present, indicates that modifications should not be persisted. Valid value: All.',
  type: 'string',
  in: 'query',
};

const CREATE_PARAMETERS: Parameter[] = [
  DRY_RUN,
  ...[
    ['fieldManager', 'A name associated with the actor or entity that is making these changes.', 'string'],
    [
      'fieldValidation',
      'How the server handles unknown or duplicate fields: Ignore, Warn or Strict (the default).',
      'string',
    ],
  ].map(([name, description, type]) => ({ name, description, type, in: 'query' }) as Parameter),
];

const NAME: Parameter = { name: 'name', description: 'name of the object', type: 'string', in: 'path' };
const NAMESPACE: Parameter = {
  name: 'namespace',
  description: 'object name and auth scope, such as for teams and projects',
  type: 'string',
  in: 'path',
};

interface Operation {
  method: 'get' | 'post' | 'delete';
  action: 'list' | 'get' | 'create' | 'delete';
  operationId: string;
  parameters: Parameter[];
  /** Definition name of the response (and of the body, for create). */
  responseSchema: string;
  kind: string;
  body?: string;
}

const capitalized = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** `prism.kappnav.io` → `PrismKappnavIo`, as kube-openapi builds operation ids. */
const groupId = (served: GroupVersion) => served.group.split('.').map(capitalized).join('');

/** The tag of every operation: `prismKappnavIo_v1`. */
function tagOf(served: GroupVersion): string {
  const id = groupId(served);
  return `${id[0]!.toLowerCase()}${id.slice(1)}_${served.version}`;
}

/** path → operations of that path, for every served verb of every resource. */
function operations(
  served: GroupVersion,
  definitions: readonly ResourceDefinition[],
): Map<string, Operation[]> {
  const paths = new Map<string, Operation[]>();
  const add = (path: string, operation: Operation) =>
    paths.set(path, [...(paths.get(path) ?? []), operation]);
  const prefix = `${groupId(served)}${capitalized(served.version)}`;
  const id = (verb: string, scoped: string, kind: string, suffix = '') =>
    `${verb}${prefix}${scoped}${kind}${suffix}`;
  const root = rootPathOf(served);
  for (const d of definitions) {
    const kindRef = definitionName(served, d.kind);
    const scope = d.namespaced ? [NAMESPACE] : [];
    const collection = `${root}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}`;
    const scoped = d.namespaced ? 'Namespaced' : '';
    if (d.verbs.includes('list')) {
      const list = {
        method: 'get',
        action: 'list',
        kind: d.kind,
        responseSchema: definitionName(served, listKind(d)),
      } as const;
      add(collection, {
        ...list,
        operationId: id('list', scoped, d.kind),
        parameters: [...scope, ...LIST_PARAMETERS],
      });
      if (d.namespaced)
        add(`${root}/${d.resource}`, {
          ...list,
          operationId: id('list', '', d.kind, 'ForAllNamespaces'),
          parameters: LIST_PARAMETERS,
        });
    }
    if (d.verbs.includes('get'))
      add(`${collection}/{name}`, {
        method: 'get',
        action: 'get',
        kind: d.kind,
        operationId: id('read', scoped, d.kind),
        parameters: [NAME, ...scope],
        responseSchema: kindRef,
      });
    if (d.verbs.includes('delete'))
      add(`${collection}/{name}`, {
        method: 'delete',
        action: 'delete',
        kind: d.kind,
        operationId: id('delete', scoped, d.kind),
        parameters: [NAME, ...scope, DRY_RUN],
        responseSchema: STATUS,
      });
    if (d.verbs.includes('create'))
      add(collection, {
        method: 'post',
        action: 'create',
        kind: d.kind,
        operationId: id('create', scoped, d.kind),
        parameters: [...scope, ...CREATE_PARAMETERS],
        responseSchema: kindRef,
        body: kindRef,
      });
  }
  return paths;
}

/** The schema with `ref` written as each OpenAPI version writes references. */
function resolveRefs(schema: JsonSchema, refPrefix: string, wrapRefs: boolean): object {
  const { ref, properties, items, additionalProperties, ...rest } = schema;
  const result: Record<string, unknown> = { ...rest };
  if (properties)
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, s]) => [name, resolveRefs(s, refPrefix, wrapRefs)]),
    );
  if (items) result.items = resolveRefs(items, refPrefix, wrapRefs);
  if (additionalProperties !== undefined)
    result.additionalProperties =
      typeof additionalProperties === 'boolean'
        ? additionalProperties
        : resolveRefs(additionalProperties, refPrefix, wrapRefs);
  if (ref) {
    // OpenAPI 3.0 ignores siblings of $ref, so v3 wraps it to keep the description (as kube-apiserver does).
    if (wrapRefs && schema.description) return { ...result, allOf: [{ $ref: refPrefix + ref }] };
    return { ...result, $ref: refPrefix + ref };
  }
  return result;
}

const JSON_TYPES = ['application/json', 'application/yaml'];

function v2Operation(served: GroupVersion, op: Operation) {
  return {
    operationId: op.operationId,
    description: `${op.action} ${op.kind}`,
    consumes: ['application/json'],
    produces: JSON_TYPES,
    schemes: ['https'],
    tags: [tagOf(served)],
    parameters: [
      ...op.parameters.map((p) => ({
        ...p,
        uniqueItems: true,
        ...(p.in === 'path' ? { required: true } : {}),
      })),
      ...(op.body
        ? [{ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${op.body}` } }]
        : []),
    ],
    responses: {
      '200': { description: 'OK', schema: { $ref: `#/definitions/${op.responseSchema}` } },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': gvk(served, op.kind)[0],
  };
}

function v3Operation(served: GroupVersion, op: Operation) {
  const content = (name: string) =>
    Object.fromEntries(
      JSON_TYPES.map((type) => [type, { schema: { $ref: `#/components/schemas/${name}` } }]),
    );
  return {
    operationId: op.operationId,
    description: `${op.action} ${op.kind}`,
    tags: [tagOf(served)],
    parameters: op.parameters.map(({ type, ...p }) => ({
      ...p,
      schema: { type, uniqueItems: true },
      ...(p.in === 'path' ? { required: true } : {}),
    })),
    ...(op.body ? { requestBody: { required: true, content: content(op.body) } } : {}),
    responses: {
      '200': { description: 'OK', content: content(op.responseSchema) },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': gvk(served, op.kind)[0],
  };
}

/** The OpenAPI documents and schemas of one served group version. */
export class OpenApiDocuments {
  /** Every schema the documents define, by definition name (the meta schemas included). */
  readonly schemas: Readonly<Record<string, JsonSchema>>;

  constructor(
    private readonly served: GroupVersion,
    private readonly definitions: readonly ResourceDefinition[],
  ) {
    this.schemas = schemas(served, definitions);
  }

  /** The schema of a served kind (what field validation checks a body against). */
  schemaOf(kind: string): JsonSchema {
    return this.schemas[definitionName(this.served, kind)] ?? {};
  }

  v2() {
    const { paths, written } = this.parts(v2Operation, '#/definitions/', false);
    return { swagger: '2.0', info: this.info(), paths, definitions: written };
  }

  v3() {
    const { paths, written } = this.parts(v3Operation, '#/components/schemas/', true);
    return { openapi: '3.0.0', info: this.info(), paths, components: { schemas: written } };
  }

  private info() {
    return { title: `${this.served.group} API`, version: this.served.version };
  }

  /** Paths and schema definitions, written the way one OpenAPI version writes operations and references. */
  private parts(
    describe: (served: GroupVersion, op: Operation) => object,
    refPrefix: string,
    wrapRefs: boolean,
  ) {
    const paths: Record<string, Record<string, object>> = {};
    for (const [path, ops] of operations(this.served, this.definitions))
      paths[path] = Object.fromEntries(ops.map((op) => [op.method, describe(this.served, op)]));
    const written = Object.fromEntries(
      Object.entries(this.schemas).map(([name, s]) => [name, resolveRefs(s, refPrefix, wrapRefs)]),
    );
    return { paths, written };
  }
}
