/**
 * The prism API server (`prism.kappnav.io/v1`), organised like a k8s.io/apiserver server: every request
 * goes through one pipeline of small named steps,
 *
 *   request info → authenticate → authorize → decode (query, body) → handle (resource store) → encode
 *
 * and the resources are projections of the kAppNav model, computed by the process's one kAppNav runtime
 * (the one the kappnav feature started, whose webhook and reconciler store the same statuses).
 * `createPrismApiServer` builds one HTTPS fastify instance; the process listens on it and registers the
 * APIService (with the CA of `tls` as caBundle).
 */
import fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import type { ScriptRunner } from '../../../pkg/sandbox/script-sandbox.ts';
import type { KappnavRuntime } from '../runtime/kappnav-runtime.ts';
import {
  trustedClientCas,
  WatchedAuthenticationConfig,
} from '../../../aggregated-api/authn/authentication-config.ts';
import { manageClientCas } from '../../../server/client-ca-context.ts';
import { RequestAuthenticator } from '../../../aggregated-api/authn/request-authenticator.ts';
import { TokenAuthenticator } from '../../../server/delegated-auth/token-authenticator.ts';
import type { ActionDependencies } from './actions/action-context.ts';
import { CommandRunner } from './actions/command-runner.ts';
import { PatternResolution } from './actions/pattern-resolution.ts';
import { AccessReviewer } from '../../../server/delegated-auth/access-review.ts';
import { ReadAccess } from '../../../aggregated-api/authz/read-access.ts';
import { kappnavActionRoutes } from './compat/kappnav-action-routes.ts';
import { kappnavCompatRoutes } from './compat/kappnav-compat-routes.ts';
import { COMPAT_BASES } from './compat/seed-convention.ts';
import { kappnavUiRoutes } from './compat/kappnav-ui-routes.ts';
import { staleness } from '../cluster/cache-health.ts';
import { TrustGuard } from '../cluster/trust-guard.ts';
import { ClusterResourceReader } from '../cluster/cluster-resource-reader.ts';
import { PrismModel } from './model/prism-model.ts';
import { actionMapLocalizer } from './resources/translatable-action-map.ts';
import { apiListenerOptions, installApiGroup } from '../../../aggregated-api/api-pipeline.ts';
import { httpsOptions, secureContextOptions, type TlsMaterial } from '../../../server/tls.ts';
import { PRISM } from './api-group.ts';
import { actionMapsProjection } from './resources/action-maps.ts';
import { ACTION_RESOLUTIONS, ActionResolutions } from './resources/action-resolutions.ts';
import { applicationsProjection } from './resources/applications.ts';
import { CommandExecutions } from './resources/command-executions.ts';
import { commandsResource } from './resources/commands.ts';
import { componentsProjection } from './resources/components.ts';
import { LIFECYCLE_EVENTS, LifecycleEvents } from './resources/lifecycle-events.ts';
import { localDefinition, LocalVariant } from './resources/local-variants.ts';
import { MAPPING_PREVIEWS, MappingPreviews } from './resources/mapping-previews.ts';
import { namespacesProjection } from './resources/namespaces.ts';
import { projectedResource } from './resources/projected-resource.ts';
import { NameAuthorizer, prismNameGuards } from './resources/name-authorization.ts';
import { CachedCommandJobs } from './actions/command-jobs.ts';
import { resourceStatusesProjection } from './resources/resource-statuses.ts';
import type { ServedResource } from '../../../aggregated-api/resource/served-resource.ts';
import { RevisionClock } from '../../../aggregated-api/store/revision-clock.ts';
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from '../../../aggregated-api/watch/watch-handler.ts';

/** What the process shares with the prism API (a subset of its shared services). */
export interface PrismApiServices {
  /** prismgate's own identity: caches, TokenReview, SubjectAccessReview, status annotations. */
  client: KubeClient;
  caches: CacheSet;
  discovery: ApiDiscovery;
  /** Runs action snippets. */
  sandbox: ScriptRunner;
  log: Logger;
  registry: Registry;
  /** The process's kAppNav runtime: its cluster view, statuses and maps, lifecycle events. */
  kappnav: KappnavRuntime;
}

export interface PrismApiOptions {
  /** How long startup waits for kube-system/extension-apiserver-authentication (default 10 s). */
  authenticationConfigTimeoutMs?: number;
  /** How long SubjectAccessReview answers are kept (default 10 s, as k8s.io/apiserver). */
  reviewTtlMs?: number;
  watch?: Partial<WatchSettings>;
  /** A cache not heard from for this long flags answers as possibly stale (default 3 min). */
  staleAfterMs?: number;
  /** Quiet time after a cluster change before the model is recomputed (default 50 ms). */
  settleMs?: number;
}

export async function createPrismApiServer(
  services: PrismApiServices,
  /** The serving certificate (its CA is the APIService's caBundle); rotating it keeps the client CAs. */
  tls: TlsMaterial,
  options: PrismApiOptions = {},
): Promise<FastifyInstance> {
  const log = services.log.child({ component: 'prism-api' });
  const authConfig = new WatchedAuthenticationConfig(services.client, log);
  await authConfig.start(options.authenticationConfigTimeoutMs ?? 10_000);
  if (!authConfig.loaded)
    log.warn('kube-system/extension-apiserver-authentication not read yet; callers get 401 until it is');

  const runtime = services.kappnav;
  const { cluster, reader } = runtime;
  const model = new PrismModel({ runtime, log, settleMs: options.settleMs ?? 50 });
  const clock = new RevisionClock();
  const reviewer = new AccessReviewer(services.client, options.reviewTtlMs ?? 10_000);
  const staleAfterMs = options.staleAfterMs ?? 180_000;
  const stale = () => cluster.staleness(staleAfterMs);
  const actions: ActionDependencies = {
    model,
    cluster,
    discovery: services.discovery,
    reader,
    resources: new ClusterResourceReader(services.client, services.discovery),
    access: new ReadAccess(reviewer, log),
    reviewer,
    sandbox: services.sandbox,
    client: services.client,
    trust: new TrustGuard(services.client, cluster.kappnavNamespace, log),
  };
  const resolution = new PatternResolution(actions);
  const runner = new CommandRunner(actions);
  const jobs = new CachedCommandJobs(services.caches, cluster.kappnavNamespace);
  const lookup = { model, reader, discovery: services.discovery };
  const lifecycle = { lifecycle: runtime.lifecycle, discovery: services.discovery, reviewer };
  const applications = projectedResource(applicationsProjection, model, clock, stale);
  const components = projectedResource(componentsProjection, model, clock, stale);
  const namespaces = projectedResource(namespacesProjection, model, clock, stale);
  const statuses = projectedResource(resourceStatusesProjection(lookup), model, clock, stale);
  const actionMaps = projectedResource(actionMapsProjection(lookup), model, clock, stale);
  const commands = commandsResource({
    jobs,
    model,
    actions,
    clock,
    staleness: () => [...stale(), staleness(jobs.cache, staleAfterMs)].filter((r): r is string => !!r),
  });
  const resources: ServedResource[] = [
    applications,
    components,
    namespaces,
    statuses,
    actionMaps,
    commands,
    new ActionResolutions(resolution),
    new CommandExecutions(runner),
    new MappingPreviews(cluster, actions.access),
    new LifecycleEvents(lifecycle),
    // Their namespaced variants, which a RoleBinding grants (finding 12).
    new LocalVariant(new ActionResolutions(resolution, localDefinition(ACTION_RESOLUTIONS)), {
      namespacedKindsOnly: services.discovery,
    }),
    new LocalVariant(new MappingPreviews(cluster, actions.access, localDefinition(MAPPING_PREVIEWS))),
    new LocalVariant(new LifecycleEvents(lifecycle, localDefinition(LIFECYCLE_EVENTS)), {
      namespacedKindsOnly: services.discovery,
    }),
  ];
  // A get by name is authorized by what the name shows, before anything is looked up (finding 6).
  const authorizer = new NameAuthorizer(
    reviewer,
    actions.access,
    prismNameGuards({
      resources: { applications, components, namespaces, statuses, actionMaps, commands },
      applications: () => model.current.applications,
      discovery: services.discovery,
      kappnavNamespace: cluster.kappnavNamespace,
    }),
  );

  const serving = secureContextOptions(tls);
  const clientCas = trustedClientCas(authConfig.current());
  const server = fastify({
    ...apiListenerOptions({ log }),
    https: httpsOptions(tls, {
      ...(clientCas.length > 0 ? { ca: clientCas } : {}),
      // Ask for a client certificate but never refuse the handshake: bearer tokens and health probes come without.
      requestCert: true,
      rejectUnauthorized: false,
    }),
  });
  // fastify's types specialise the instance to its https server and pino logger; plugins and the process
  // use it as a fastify instance like any other.
  const app = server as unknown as FastifyInstance;
  const context = manageClientCas(server.server, clientCas, serving);
  authConfig.onChange((config) => context.setClientCas(trustedClientCas(config)));
  const authenticator = new RequestAuthenticator(authConfig, new TokenAuthenticator(services.client));

  const { access } = await installApiGroup(app, {
    groupVersion: PRISM,
    authenticator,
    reviewer: authorizer,
    resources,
    clock,
    registry: services.registry,
    readiness: [
      {
        name: 'authentication-config',
        check: () => (authConfig.loaded ? undefined : 'extension-apiserver-authentication is not read yet'),
      },
      {
        name: 'informer-sync',
        check: () => {
          const unsynced = cluster.unsynced();
          return unsynced.length === 0 ? undefined : `not synced: ${unsynced.join(', ')}`;
        },
      },
      {
        name: 'prism-model',
        check: () => (model.ready ? undefined : 'the kAppNav model was not computed yet'),
      },
    ],
    watchSettings: { ...DEFAULT_WATCH_SETTINGS, ...options.watch },
    log,
    localize: actionMapLocalizer(cluster),
  });
  for (const prefix of COMPAT_BASES) {
    await app.register(kappnavCompatRoutes, {
      prefix,
      model,
      cluster,
      discovery: services.discovery,
      reader,
      access,
    });
    await app.register(kappnavActionRoutes, { prefix, actions, resolution, runner, jobs });
    await app.register(kappnavUiRoutes, {
      prefix,
      client: actions.client,
      access,
      reviewer: actions.reviewer,
    });
  }
  app.addHook('onClose', async () => {
    model.stop();
    await authConfig.stop();
  });
  model.start();

  return app;
}
