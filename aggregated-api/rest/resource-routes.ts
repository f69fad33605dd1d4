/**
 * The routes of the served resources: list/watch on collections (in a namespace and across namespaces),
 * get (and delete, where declared) on objects, create on create-only collections; every other method on a
 * known path is 405, as kube-apiserver answers a verb a resource does not support. `?locale=` on a read
 * translates the action maps the objects carry (kappnav-prism.md §6.2).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { apiVersionOf, rootPathOf, type GroupVersion } from '../resource/group-version.ts';
import type { ReadAccess } from '../authz/read-access.ts';
import { encodeList, encodeObject, type EncodeOptions } from '../encoding/response-encoder.ts';
import { sendBody, sendJson } from '../../server/send-body.ts';
import { addWarnings } from '../encoding/warning-header.ts';
import type { ApiMetrics } from '../metrics/api-metrics.ts';
import type { OpenApiDocuments } from '../openapi/openapi-documents.ts';
import { parseIncludeObject, parseListOptions, queryValue, type Query } from '../request/list-options.ts';
import { negotiateResource } from '../request/media-type.ts';
import { contextOf } from '../request/request-context.ts';
import { methodNotAllowed } from '../../server/api-error.ts';
import type { RevisionClock } from '../store/revision-clock.ts';
import { serveWatch, type WatchSettings } from '../watch/watch-handler.ts';
import type { LongRunning } from '../../server/health/shutdown.ts';
import { createObject, dryRun } from './create-handler.ts';
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
  /** Translates the action map an object carries for a locale; objects without one come back unchanged. */
  localize?: (object: KubeObject, locale: string) => KubeObject;
}

interface Params {
  namespace?: string;
  name?: string;
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function encodeOptions(request: FastifyRequest, query: Query, options: ResourceRoutesOptions): EncodeOptions {
  const locale = queryValue(query, 'locale');
  const { localize } = options;
  return {
    apiVersion: apiVersionOf(options.groupVersion),
    representation: negotiateResource(request.headers.accept),
    includeObject: parseIncludeObject(queryValue(query, 'includeObject')),
    now: Date.now(),
    ...(locale && localize ? { transform: (object: KubeObject) => localize(object, locale) } : {}),
  };
}

/** Only the path's namespace and the user's permissions: what a get or delete of one object sees. */
function singleObjectFilter<T extends KubeObject>(
  resource: ReadableResource<T>,
  request: FastifyRequest,
  access: ReadAccess,
): ObjectFilter<T> {
  const { namespace } = request.params as Params;
  return new ObjectFilter(
    resource,
    { labelSelector: [], fieldSelector: [] },
    namespace,
    contextOf(request).user,
    access,
  );
}

function readHandlers<T extends KubeObject>(resource: ReadableResource<T>, options: ResourceRoutesOptions) {
  const { group } = options.groupVersion;
  const staleWarnings = () => {
    const warnings = resource.staleness();
    if (warnings.length > 0) options.metrics.servedStale(resource.definition.resource);
    return warnings;
  };

  const collection = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = contextOf(request);
    const query = request.query as Query;
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
    const encode = encodeOptions(request, query, options);
    const warnings = staleWarnings();
    if (list.watch)
      return serveWatch(reply, {
        resource,
        options: list,
        filter,
        clock: options.clock,
        encode,
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
    const encoded = encodeList(resource.definition, result.items, result, encode);
    addWarnings(reply, warnings);
    return sendBody(reply, encoded.contentType, encoded.body);
  };

  const item = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = contextOf(request);
    const query = request.query as Query;
    const { namespace, name = '' } = request.params as Params;
    const filter = singleObjectFilter(resource, request, options.access);
    const object = await getObject(group, resource, namespace, name, filter, user, options.clock);
    const encoded = encodeObject(resource.definition, object, encodeOptions(request, query, options));
    addWarnings(reply, staleWarnings());
    return sendBody(reply, encoded.contentType, encoded.body);
  };

  /** DELETE of one object the user can see; `dryRun` from the query or the DeleteOptions body. */
  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user } = contextOf(request);
    const { namespace, name = '' } = request.params as Params;
    const filter = singleObjectFilter(resource, request, options.access);
    const object = await getObject(group, resource, namespace, name, filter, user, options.clock);
    const body = request.body as { dryRun?: unknown } | undefined;
    const bodyDryRun = Array.isArray(body?.dryRun) && body.dryRun.includes('All');
    const status = await resource.delete!({
      object,
      user,
      dryRun: dryRun(request.query as Query) || bodyDryRun,
    });
    return sendJson(reply, status);
  };
  return { collection, item, remove };
}

function createHandler<T extends KubeObject>(resource: CreatableResource<T>, options: ResourceRoutesOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Query;
    const { object, warnings } = await createObject(
      options.groupVersion,
      options.openApi,
      resource,
      request.body,
      query,
      contextOf(request).user,
      (request.params as Params).namespace,
    );
    const encoded = encodeObject(resource.definition, object, encodeOptions(request, query, options));
    addWarnings(reply, warnings);
    return sendBody(reply.code(201), encoded.contentType, encoded.body);
  };
}

export function resourceRoutes(app: FastifyInstance, options: ResourceRoutesOptions, done: () => void): void {
  const root = rootPathOf(options.groupVersion);
  for (const resource of options.resources) {
    const { definition } = resource;
    const what = { group: options.groupVersion.group, resource: definition.resource };
    const scoped = `${root}${definition.namespaced ? '/namespaces/:namespace' : ''}/${definition.resource}`;
    const served = new Map<
      string,
      Partial<Record<HTTPMethods, (request: FastifyRequest, reply: FastifyReply) => unknown>>
    >();
    const serve = (
      url: string,
      method: HTTPMethods,
      handler: (request: FastifyRequest, reply: FastifyReply) => unknown,
    ) => served.set(url, { ...served.get(url), [method]: handler });
    if (isReadable(resource)) {
      const { collection, item, remove } = readHandlers(resource, options);
      serve(scoped, 'GET', collection);
      if (definition.namespaced) serve(`${root}/${definition.resource}`, 'GET', collection);
      serve(`${scoped}/:name`, 'GET', item);
      if (definition.verbs.includes('delete') && resource.delete) serve(`${scoped}/:name`, 'DELETE', remove);
    } else {
      serve(scoped, 'POST', createHandler(resource as CreatableResource, options));
      serve(`${scoped}/:name`, 'GET', () => {
        throw methodNotAllowed('get', what);
      });
    }
    for (const [url, handlers] of served) {
      for (const method of ALL_METHODS) {
        const verb = method === 'GET' ? (url.endsWith('/:name') ? 'get' : 'list') : method.toLowerCase();
        app.route({
          method,
          url,
          handler:
            handlers[method] ??
            (() => {
              throw methodNotAllowed(verb, what);
            }),
        });
      }
    }
  }
  done();
}
