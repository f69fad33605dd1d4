/**
 * The request pipeline of the prism API on a fastify instance, from already-built parts:
 *
 *   request info → authenticate → authorize → decode → handle → encode, and errors as metav1.Status
 *
 * with the routes of discovery, OpenAPI, health, metrics and the served resources. Separate from the
 * server's construction so that tests can drive the whole pipeline with `inject()` and fake parts.
 */
import { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { authenticationHook } from './authn/authentication-hook.ts';
import type { Authenticator } from './authn/request-authenticator.ts';
import type { Reviewer } from './authz/access-review.ts';
import { authorizationHook } from './authz/authorization-hook.ts';
import { ReadAccess } from './authz/read-access.ts';
import { discoveryRoutes } from './discovery/discovery-routes.ts';
import { defaultCacheControl } from './encoding/cache-control.ts';
import { sendBody } from './encoding/send-body.ts';
import { healthRoutes, PING, type HealthCheck } from '../server/health/health-routes.ts';
import { Shutdown } from '../server/health/shutdown.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { metricsHook } from './metrics/metrics-hook.ts';
import { schemas } from './openapi/openapi-documents.ts';
import { openApiRoutes } from './openapi/openapi-routes.ts';
import { bodyDepthHook } from './request/body-depth.ts';
import { requestInfoHook, type RequestContext } from './request/request-context.ts';
import { resourceRoutes, type ResourceRoutesOptions } from './rest/resource-routes.ts';
import type { ServedResource } from './rest/served-resource.ts';
import { installErrorResponses, sendFrameworkError } from './errors/error-responses.ts';
import type { RevisionClock } from './store/revision-clock.ts';
import type { WatchSettings } from './watch/watch-handler.ts';

/** Longest accepted request body: LifecycleEvents are small; nothing else has a body. */
const BODY_LIMIT_BYTES = 1024 * 1024;
/** kube-apiserver keeps idle connections to aggregated servers for 90 s; close them later than that. */
const KEEP_ALIVE_TIMEOUT_MS = 120_000;

/** fastify options of the server besides TLS and the logger (tests use them too). */
export function prismServerOptions() {
  return {
    // kube-aggregator polls discovery every minute per replica: a log line per request is noise.
    logController: new LogController({ disableRequestLogging: true }),
    // `/apis/` is `/apis`, as in kube-apiserver. Names reach 253 characters and qualified names
    // (`deployment.apps:<name>`) some 570; fastify's default of 100 refused longer ones with its own 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    frameworkErrors: sendFrameworkError,
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // How long a client may take to send its request; watches are long responses, not long requests.
    requestTimeout: 30_000,
    // Requests that arrive while the server closes are answered by the pipeline, as a Status.
    return503OnClosing: false,
  };
}

export interface PipelineParts {
  authenticator: Authenticator;
  reviewer: Reviewer;
  resources: readonly ServedResource[];
  clock: RevisionClock;
  registry: Registry;
  /** Readiness checks besides `ping` and `shutdown`. */
  readiness: readonly HealthCheck[];
  watchSettings: WatchSettings;
  log: FastifyBaseLogger;
  /** Translates the action map an object carries, for `?locale=` on reads. */
  localize?: ResourceRoutesOptions['localize'];
}

export interface Pipeline {
  /** What users may read of the underlying resources, for routes added after the pipeline. */
  access: ReadAccess;
}

export async function installPrismApi(app: FastifyInstance, parts: PipelineParts): Promise<Pipeline> {
  const definitions = parts.resources.map((resource) => resource.definition);
  const metrics = new ApiMetrics(parts.registry);
  const access = new ReadAccess(parts.reviewer, parts.log);
  const shutdown = new Shutdown();

  app.decorateRequest('prism', null as unknown as RequestContext);
  // Only JSON bodies are parsed; others are answered 415 before any handler runs.
  app.removeContentTypeParser('text/plain');
  installErrorResponses(app);
  app.addHook('onRequest', requestInfoHook());
  app.addHook('onRequest', defaultCacheControl());
  app.addHook('onRequest', shutdown.hook());
  app.addHook('onRequest', authenticationHook(parts.authenticator, parts.log));
  app.addHook('onRequest', authorizationHook(parts.reviewer, parts.log));
  app.addHook('preValidation', bodyDepthHook());
  app.addHook('onResponse', metricsHook(metrics, new Set(definitions.map((d) => d.resource))));

  await app.register(discoveryRoutes, { definitions });
  await app.register(openApiRoutes, { definitions });
  await app.register(healthRoutes, {
    livez: [PING],
    readyz: [PING, ...parts.readiness, shutdown.readiness],
  });
  app.get('/metrics', async (_request, reply) =>
    sendBody(reply, parts.registry.contentType, await parts.registry.metrics()),
  );
  await app.register(resourceRoutes, {
    resources: parts.resources,
    access,
    clock: parts.clock,
    schemas: schemas(definitions),
    watchSettings: parts.watchSettings,
    watches: shutdown.watches,
    metrics,
    ...(parts.localize ? { localize: parts.localize } : {}),
  });
  app.addHook('preClose', (done) => {
    shutdown.begin();
    done();
  });
  return { access };
}
