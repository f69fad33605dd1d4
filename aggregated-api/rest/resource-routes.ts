/**
 * The routes of the served resources, as k8s.io/apiserver installs them: list/watch on collections (in a
 * namespace and across namespaces) and get on objects of readable resources, delete on objects where
 * declared, create on the collection of create-only ones. Like its router, a path the resource serves
 * with another method answers 405 (`the server does not allow this method on the requested resource`),
 * and a path it does not serve at all (the objects of a create-only resource) 404. Bodies are read as
 * bytes whatever their Content-Type and decoded by the handler that takes one, so that a method that is
 * not allowed is a 405 whatever the body (a PATCH is not a 415). `?locale=` on a read translates the
 * action maps the objects carry (kappnav-prism.md §6.2).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { KubeObject, KubeStatus } from '../../pkg/kube/types.ts';
import { apiVersionOf, rootPathOf, type GroupVersion } from '../resource/group-version.ts';
import type { ReadAccess } from '../authz/read-access.ts';
import {
  encodeList,
  encodeObject,
  isPrettyPrint,
  serialize,
  type EncodeOptions,
} from '../encoding/response-encoder.ts';
import { sendBody } from '../../server/send-body.ts';
import { addWarnings } from '../encoding/warning-header.ts';
import type { ApiMetrics } from '../metrics/api-metrics.ts';
import type { OpenApiDocuments } from '../openapi/openapi-documents.ts';
import { parseIncludeObject, parseListOptions, queryValue, type Query } from '../request/list-options.ts';
import { negotiateResource, negotiateWatch, type ResourceRepresentation } from '../request/media-type.ts';
import { bodyFormat } from '../request/body-format.ts';
import { parseCreateOptions, parseDeleteOptions } from '../request/write-options.ts';
import { contextOf } from '../request/request-context.ts';
import { pathNotFound, routeMethodNotAllowed } from '../../server/api-error.ts';
import type { RevisionClock } from '../store/revision-clock.ts';
import { serveWatch, type WatchSettings } from '../watch/watch-handler.ts';
import type { LongRunning } from '../../server/health/shutdown.ts';
import { createObject } from './create-handler.ts';
import { deleteObject } from './delete-handler.ts';
import { ObjectFilter } from '../resource/object-filter.ts';
import { getObject, listObjects } from './read-handlers.ts';
import {
  isReadable,
  type CreatableResource,
  type ReadableResource,
  type ServedResource,
} from '../resource/served-resource.ts';

export interface ResourceRoutesOptions {
  groupVersion: GroupVersion;
  resources: readonly ServedResource[];
  access: ReadAccess;
  clock: RevisionClock;
  /** The group version's schemas, for field validation of request bodies. */
  openApi: OpenApiDocuments;
  watchSettings: WatchSettings;
  /** Open watches, ended when the server closes. */
  watches: Set<LongRunning>;
  metrics: ApiMetrics;
  /** Translates an object for a locale (the prism API: the action map it carries); others come back unchanged. */
  localize?: (object: KubeObject, locale: string) => KubeObject;
}

interface Params {
  namespace?: string;
  name?: string;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** How the answer is encoded; negotiated first, as kube-apiserver does before reading any parameter. */
function encodeOptions(
  request: FastifyRequest,
  representation: ResourceRepresentation,
  options: ResourceRoutesOptions,
): EncodeOptions {
  const query = request.query as Query;
  const locale = queryValue(query, 'locale');
  const { localize } = options;
  return {
    apiVersion: apiVersionOf(options.groupVersion),
    representation,
    includeObject: parseIncludeObject(queryValue(query, 'includeObject')),
    pretty: representation.pretty || isPrettyPrint(query, request.headers['user-agent']),
    now: Date.now(),
    ...(locale && localize ? { transform: (object: KubeObject) => localize(object, locale) } : {}),
  };
}

const negotiated = (request: FastifyRequest, options: ResourceRoutesOptions) =>
  encodeOptions(request, negotiateResource(request.headers.accept), options);

/**
 * The path's object as a get or delete sees it: filtered by the path's namespace and the user's
 * permissions only (no selectors), at `resourceVersion` when the request names one.
 */
function visibleObject<T extends KubeObject>(
  resource: ReadableResource<T>,
  request: FastifyRequest,
  options: ResourceRoutesOptions,
  resourceVersion = '',
): Promise<T> {
  const { namespace, name = '' } = request.params as Params;
  const { user } = contextOf(request);
  const filter = new ObjectFilter(
    resource,
    { labelSelector: [], fieldSelector: [] },
    namespace,
    user,
    options.access,
  );
  return getObject(
    options.groupVersion.group,
    resource,
    namespace,
    name,
    filter,
    user,
    options.clock,
    resourceVersion,
  );
}

function sendEncoded(reply: FastifyReply, encoded: { contentType: string; body: string }) {
  return sendBody(reply, encoded.contentType, encoded.body);
}

function readHandlers<T extends KubeObject>(resource: ReadableResource<T>, options: ResourceRoutesOptions) {
  const staleWarnings = () => {
    const warnings = resource.staleness();
    if (warnings.length > 0) options.metrics.servedStale(resource.definition.resource);
    return warnings;
  };

  const collection = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = contextOf(request);
    const query = request.query as Query;
    const representation = negotiateResource(request.headers.accept);
    const list = parseListOptions(query);
    const { namespace } = request.params as Params;
    const filter = new ObjectFilter(
      resource,
      list,
      namespace,
      user,
      options.access,
      resource.queryFilter?.(query),
    );
    const warnings = staleWarnings();
    if (list.watch)
      return serveWatch(reply, {
        resource,
        options: list,
        filter,
        clock: options.clock,
        encode: encodeOptions(request, negotiateWatch(request.headers.accept), options),
        settings: options.watchSettings,
        warnings,
        opened: (stream) => {
          const closed = options.metrics.watchOpened(resource.definition.resource);
          options.watches.add(stream);
          stream.onClose(() => {
            options.watches.delete(stream);
            closed();
          });
        },
      });
    const result = await listObjects(resource, list, filter, options.clock);
    const encoded = encodeList(
      resource.definition,
      result.items,
      result,
      encodeOptions(request, representation, options),
    );
    addWarnings(reply, warnings);
    return sendEncoded(reply, encoded);
  };

  const item = async (request: FastifyRequest, reply: FastifyReply) => {
    const encode = negotiated(request, options);
    const resourceVersion = queryValue(request.query as Query, 'resourceVersion') ?? '';
    const object = await visibleObject(resource, request, options, resourceVersion);
    const encoded = encodeObject(resource.definition, object, encode);
    addWarnings(reply, staleWarnings());
    return sendEncoded(reply, encoded);
  };

  /** DELETE of one object the user can see, with DeleteOptions from the body or the query. */
  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = contextOf(request);
    const encode = negotiated(request, options);
    const deleteOptions = parseDeleteOptions(
      request.body as Buffer | undefined,
      request.headers['content-type'],
      request.query as Query,
      apiVersionOf(options.groupVersion),
    );
    const object = await visibleObject(resource, request, options);
    const status: KubeStatus = await deleteObject(
      options.groupVersion.group,
      resource,
      object,
      deleteOptions,
      user,
    );
    return sendEncoded(reply, serialize(status, encode.representation.format, encode.pretty));
  };
  return { collection, item, remove };
}

function createHandler<T extends KubeObject>(resource: CreatableResource<T>, options: ResourceRoutesOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const encode = negotiated(request, options);
    const format = bodyFormat(request.headers['content-type']);
    const createOptions = parseCreateOptions(request.query as Query);
    const { object, warnings } = await createObject(options.groupVersion, options.openApi, resource, {
      body: (request.body as Buffer | undefined) ?? Buffer.alloc(0),
      format,
      options: createOptions,
      user: contextOf(request).user,
      ...((request.params as Params).namespace !== undefined
        ? { namespace: (request.params as Params).namespace! }
        : {}),
    });
    const encoded = encodeObject(resource.definition, object, encode);
    addWarnings(reply, warnings);
    return sendEncoded(reply.code(201), encoded);
  };
}

/** The handlers of each path of one resource, by method. */
function resourcePaths(
  resource: ServedResource,
  options: ResourceRoutesOptions,
): Map<string, Partial<Record<HTTPMethods, Handler>>> {
  const { definition } = resource;
  const root = rootPathOf(options.groupVersion);
  const scoped = `${root}${definition.namespaced ? '/namespaces/:namespace' : ''}/${definition.resource}`;
  const paths = new Map<string, Partial<Record<HTTPMethods, Handler>>>();
  const serve = (url: string, method: HTTPMethods, handler: Handler) =>
    paths.set(url, { ...paths.get(url), [method]: handler });
  if (isReadable(resource)) {
    const { collection, item, remove } = readHandlers(resource, options);
    serve(scoped, 'GET', collection);
    if (definition.namespaced) serve(`${root}/${definition.resource}`, 'GET', collection);
    serve(`${scoped}/:name`, 'GET', item);
    if (definition.verbs.includes('delete') && resource.delete) serve(`${scoped}/:name`, 'DELETE', remove);
  } else {
    serve(scoped, 'POST', createHandler(resource as CreatableResource, options));
    // kube-apiserver installs no route for the objects of a create-only resource: they are not found.
    for (const method of ALL_METHODS)
      serve(`${scoped}/:name`, method, () => {
        throw pathNotFound();
      });
  }
  return paths;
}

export function resourceRoutes(app: FastifyInstance, options: ResourceRoutesOptions, done: () => void): void {
  // Every body is read as bytes, whatever its Content-Type; handlers that take one decode it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));
  for (const resource of options.resources)
    for (const [url, handlers] of resourcePaths(resource, options))
      for (const method of ALL_METHODS)
        app.route({
          method,
          url,
          handler:
            handlers[method] ??
            (() => {
              throw routeMethodNotAllowed();
            }),
        });
  done();
}
