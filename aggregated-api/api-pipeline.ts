/**
 * The request pipeline of an aggregated API server for one group version, on a listener (server/listener.ts)
 * and from already-built parts, the way k8s.io/apiserver installs an APIGroupInfo:
 *
 *   request info → authenticate → authorize → decode → handle → encode, and errors as metav1.Status
 *
 * with the routes of discovery, OpenAPI and the served resources. Separate from the server's construction
 * so that tests can drive the whole pipeline with `inject()` and fake parts.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthCheck } from '../server/health/health-routes.ts';
import { installListenerBasics, listenerOptions, type ListenerOptions } from '../server/listener.ts';
import { authenticationHook } from './authn/authentication-hook.ts';
import type { Authenticator } from './authn/request-authenticator.ts';
import type { Reviewer } from '../server/delegated-auth/access-review.ts';
import { authorizationHook } from './authz/authorization-hook.ts';
import { ReadAccess } from './authz/read-access.ts';
import { discoveryRoutes } from './discovery/discovery-routes.ts';
import { defaultCacheControl } from './encoding/cache-control.ts';
import { encodeStatus } from './encoding/response-encoder.ts';
import { rootPathOf, type GroupVersion } from './resource/group-version.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { metricsHook } from './metrics/metrics-hook.ts';
import { OpenApiDocuments } from './openapi/openapi-documents.ts';
import { openApiRoutes } from './openapi/openapi-routes.ts';
import { bodyDepthHook } from './request/body-depth.ts';
import { requestInfoHook, type RequestContext } from './request/request-context.ts';
import { resourceRoutes, type ResourceRoutesOptions } from './rest/resource-routes.ts';
import type { ServedResource } from './resource/served-resource.ts';
import type { RevisionClock } from './store/revision-clock.ts';
import type { WatchSettings } from './watch/watch-handler.ts';

/** Longest accepted request body: the create-only kinds' bodies are small; nothing else has a body. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** fastify's options for an API listener (tests use them with inject(), without TLS). */
export function apiListenerOptions(rest: Omit<ListenerOptions, 'bodyLimit'> = {}) {
  return listenerOptions({ bodyLimit: BODY_LIMIT_BYTES, ...rest });
}

export interface PipelineParts {
  /** The group version served. */
  groupVersion: GroupVersion;
  authenticator: Authenticator;
  reviewer: Reviewer;
  resources: readonly ServedResource[];
  clock: RevisionClock;
  registry: Registry;
  /** Readiness checks besides `ping` and `shutdown`. */
  readiness: readonly HealthCheck[];
  watchSettings: WatchSettings;
  log: FastifyBaseLogger;
  /** Translates an object for `?locale=` on reads (the prism API: the action map it carries). */
  localize?: ResourceRoutesOptions['localize'];
}

export interface Pipeline {
  /** What users may read of the underlying resources, for routes added after the pipeline. */
  access: ReadAccess;
}

export async function installApiGroup(app: FastifyInstance, parts: PipelineParts): Promise<Pipeline> {
  const { groupVersion } = parts;
  const definitions = parts.resources.map((resource) => resource.definition);
  const metrics = new ApiMetrics(parts.registry);
  const access = new ReadAccess(parts.reviewer, parts.log);
  const openApi = new OpenApiDocuments(groupVersion, definitions);

  app.decorateRequest('apiContext', null as unknown as RequestContext);
  // Request info first: the shutdown hook, authentication and metrics all read it.
  app.addHook('onRequest', requestInfoHook());
  app.addHook('onRequest', defaultCacheControl());
  const root = `${rootPathOf(groupVersion)}/`;
  const shutdown = installListenerBasics(app, {
    readiness: parts.readiness,
    registry: parts.registry,
    // Errors as the client accepts them; under the group version an unknown path is the router's Status.
    errors: { encodeStatus, isApiPath: (path) => path.startsWith(root) },
  });
  app.addHook('onRequest', authenticationHook(parts.authenticator, parts.log));
  app.addHook('onRequest', authorizationHook(parts.reviewer, parts.log));
  app.addHook('preValidation', bodyDepthHook());
  app.addHook('onResponse', metricsHook(metrics, new Set(definitions.map((d) => d.resource))));

  await app.register(discoveryRoutes, { groupVersion, definitions });
  await app.register(openApiRoutes, { groupVersion, documents: openApi });
  await app.register(resourceRoutes, {
    groupVersion,
    resources: parts.resources,
    access,
    clock: parts.clock,
    openApi,
    watchSettings: parts.watchSettings,
    watches: shutdown.longRunning,
    metrics,
    ...(parts.localize ? { localize: parts.localize } : {}),
  });
  return { access };
}
