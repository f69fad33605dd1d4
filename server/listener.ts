/**
 * The one bootstrap both listeners share, the admission webhooks' and the aggregated API's:
 *
 *   HTTPS (server/tls.ts) · keep-alive tuned for kube-apiserver's clients · bounded requests
 *   · every failure a metav1.Status · /livez /readyz /healthz · /metrics · a shutdown that fails readiness first
 *
 * Each listener is `fastify({ ...listenerOptions(…), https: httpsOptions(…) })` with `installListenerBasics(…)`,
 * and its own routes on top
 * (webhook/admission-routes.ts; aggregated-api/api-pipeline.ts).
 */
import { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { installErrorResponses, sendFrameworkError, type ErrorResponseOptions } from './error-responses.ts';
import { healthRoutes, PING, type HealthCheck } from './health/health-routes.ts';
import { Shutdown } from './health/shutdown.ts';
import type { TokenAccess } from './delegated-auth/token-access.ts';
import { metricsRoute } from './metrics-route.ts';

/**
 * kube-apiserver's clients (the webhook client, the aggregator's proxy) keep idle connections for 90 s, Go's
 * transport default. A server that closes them sooner races with the client reusing them, and a lost race
 * is a failed call (for a webhook with failurePolicy Fail, a denied request). So idle connections live longer.
 */
const KEEP_ALIVE_TIMEOUT_MS = 120_000;

export interface ListenerOptions {
  /** Largest request body accepted; larger ones get 413 RequestEntityTooLarge. */
  bodyLimit: number;
  log?: FastifyBaseLogger;
  /**
   * What a body's `__proto__`/`constructor.prototype` keys meet: `error` refuses the body (400), `remove` drops
   * the key where a valid object may carry it (a ConfigMap's data under review).
   */
  prototypeKeys?: 'error' | 'remove';
}

/** fastify's options for a listener. */
export function listenerOptions(options: ListenerOptions) {
  const prototypeKeys = options.prototypeKeys ?? 'error';
  return {
    ...(options.log ? { loggerInstance: options.log } : {}),
    // Probes, the aggregator's discovery polls and every admission call would each log a line: noise.
    logController: new LogController({ disableRequestLogging: true }),
    // fastify would make a child logger per request only to bind a request id nothing here logs: what the
    // handlers log names the review or the resource instead.
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    // `/apis/` is `/apis`, as in kube-apiserver. Names reach 253 characters and qualified names some 570;
    // fastify's default of 100 refused longer ones with its own 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // A URL the router cannot decode is refused before any hook runs: as a Status too.
    frameworkErrors: sendFrameworkError,
    bodyLimit: options.bodyLimit,
    onProtoPoisoning: prototypeKeys,
    onConstructorPoisoning: prototypeKeys,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // How long a client may take to send its request (a trickling body must not hold a socket forever);
    // watches are long responses, not long requests.
    requestTimeout: 30_000,
    // On close idle keep-alive connections close at once (a client would otherwise reuse them and fail);
    // requests that still arrive are answered by the shutdown hook, as a Status.
    forceCloseConnections: 'idle' as const,
    return503OnClosing: false,
  };
}

export interface ListenerBasics {
  /** Readiness checks besides `ping` and `shutdown`. */
  readiness: readonly HealthCheck[];
  /** Served at /metrics when given. */
  registry?: Registry;
  /** Who may read /metrics: a bearer token's user allowed `get` on it; everyone when absent. */
  metricsAccess?: TokenAccess;
  /** How the listener's errors are encoded, and which paths are its API's. */
  errors?: ErrorResponseOptions;
}

/**
 * Status errors, the shutdown hook, health and metrics on a listener, before its own routes and hooks.
 * Returns the shutdown, which long-running responses (watches) join so that closing ends them.
 */
export function installListenerBasics(app: FastifyInstance, basics: ListenerBasics): Shutdown {
  const shutdown = new Shutdown();
  // Bodies are JSON; anything else is answered 415 before any handler runs.
  app.removeContentTypeParser('text/plain');
  installErrorResponses(app, basics.errors);
  app.addHook('onRequest', shutdown.hook());
  app.addHook('preClose', (done) => {
    shutdown.begin();
    done();
  });
  void app.register(healthRoutes, { livez: [PING], readyz: [PING, ...basics.readiness, shutdown.readiness] });
  if (basics.registry) metricsRoute(app, basics.registry, basics.metricsAccess);
  return shutdown;
}
