/**
 * The action services over the in-memory stock-trader cluster, for unit tests: the shipped maps plus
 * instance maps with command actions — an application command and a component command with input, a
 * validator and pod fan-out, in maps an administrator labelled trusted, and a tenant's command in an
 * unlabelled map of `shop` — a Route, a fake API client that records Job creations and deletions (and as
 * whom: `as <user>` for an impersonated request), and a reviewer whose decisions the test sets.
 */
import { pino } from 'pino';
import { CORE_TYPES, objectPath } from '../../../pkg/kube/resource-type.ts';
import type { KubeClient, RequestOptions } from '../../../pkg/kube/kube-client.ts';
import { KubeApiError } from '../../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { InMemoryResources } from '../kappnav/in-memory-resources.ts';
import { ROUTE_TYPE } from '../kappnav/resolution-fixture.ts';
import { configMap } from '../kappnav/in-memory-config-maps.ts';
import { TRUSTED_COMMANDS_LABEL } from '../../../features/kappnav/commands/command-trust.ts';
import type { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { ActionDependencies } from '../../../features/kappnav/prism/actions/action-context.ts';
import { CommandRunner } from '../../../features/kappnav/prism/actions/command-runner.ts';
import { PatternResolution } from '../../../features/kappnav/prism/actions/pattern-resolution.ts';
import { kappnavActionRoutes } from '../../../features/kappnav/prism/compat/kappnav-action-routes.ts';
import { COMPAT_BASES } from '../../../features/kappnav/prism/compat/seed-convention.ts';
import type { CommandJobSource } from '../../../features/kappnav/prism/actions/command-jobs.ts';
import type { User } from '../../../server/delegated-auth/user.ts';
import type { AccessAttributes, ResourceAttributes } from '../../../server/delegated-auth/access-review.ts';
import { ReadAccess } from '../../../aggregated-api/authz/read-access.ts';
import { ObjectReader } from '../../../features/kappnav/cluster/object-reader.ts';
import { PrismModel } from '../../../features/kappnav/prism/model/prism-model.ts';
import { actionMapLocalizer } from '../../../features/kappnav/prism/resources/translatable-action-map.ts';
import { actionMapsProjection } from '../../../features/kappnav/prism/resources/action-maps.ts';
import {
  ACTION_RESOLUTIONS,
  ActionResolutions,
} from '../../../features/kappnav/prism/resources/action-resolutions.ts';
import { localDefinition, LocalVariant } from '../../../features/kappnav/prism/resources/local-variants.ts';
import { CommandExecutions } from '../../../features/kappnav/prism/resources/command-executions.ts';
import { commandsResource } from '../../../features/kappnav/prism/resources/commands.ts';
import {
  MAPPING_PREVIEWS,
  MappingPreviews,
} from '../../../features/kappnav/prism/resources/mapping-previews.ts';
import { projectedResource } from '../../../features/kappnav/prism/resources/projected-resource.ts';
import { RevisionClock } from '../../../aggregated-api/store/revision-clock.ts';
import { MemoryKappnavSource, SOURCE_TYPES, sourceDiscovery } from '../kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../kappnav/memory-runtime.ts';
import { startFixture, type Fixture } from '../aggregated-api/pipeline-fixture.ts';
import { PRISM } from '../../../features/kappnav/prism/api-group.ts';
import { stockTraderObjects } from './stock-trader.ts';

export const DEV: User = { name: 'dev', groups: ['developers'], extra: {} };
export const OTHER: User = { name: 'other', groups: ['developers'], extra: {} };

export const LOYALTY_PATTERN =
  'http://${snippet.host(${func.kubectlGet(Route,${resource.$.metadata.name},-n,${resource.$.metadata.namespace},-o,json)})}';

/** Labelled as an administrator labels a map whose commands may run as kappnav-sa. */
function trusted(map: KubeObject): KubeObject {
  return { ...map, metadata: { ...map.metadata, labels: { [TRUSTED_COMMANDS_LABEL]: 'true' } } };
}

function instanceMaps(): KubeObject[] {
  return [
    configMap('shop', 'shop.actions.deployment.portfolio', {
      'cmd-actions': JSON.stringify([
        { name: 'own', image: 'tenant/tool', 'cmd-pattern': 'inspect ${resource.$.metadata.name}' },
      ]),
    }),
    trusted(
      configMap('shop', 'shop.actions.application.stock-trader', {
        'cmd-actions': JSON.stringify([
          {
            name: 'pi',
            text: 'Calculate PI',
            image: 'busybox',
            'cmd-pattern': 'echo ${resource.$.metadata.name}',
          },
          { name: 'broken', image: 'busybox', 'cmd-pattern': 'echo ${oops}' },
        ]),
      }),
    ),
    trusted(
      configMap('shop', 'shop.actions.deployment.trader', {
        'url-actions': JSON.stringify([{ name: 'route', 'url-pattern': LOYALTY_PATTERN }]),
        'cmd-actions': JSON.stringify([
          {
            name: 'trace',
            text: 'Enable Trace',
            image: 'busybox',
            'requires-input': 'trace',
            'cmd-pattern': 'trace ${input.spec} path:podName:string p1,p2',
          },
        ]),
        inputs: JSON.stringify({ trace: { fields: { spec: { validator: 'check' } } } }),
        snippets: JSON.stringify({
          check:
            "function check(input) { var v = JSON.parse(input).value; return JSON.stringify(v.indexOf('=') > 0 ? { valid: true } : { valid: false, message: 'expected a=b' }); }",
          host: 'function host(json) { return JSON.parse(json).spec.host; }',
        }),
      }),
    ),
  ];
}

/** Command Jobs in memory, changed by the fake client. */
export class MemoryCommandJobs implements CommandJobSource {
  readonly items: KubeObject[] = [];
  private readonly listeners: (() => void)[] = [];

  jobs(): readonly KubeObject[] {
    return this.items;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export interface ActionFixture {
  source: MemoryKappnavSource;
  model: PrismModel;
  deps: ActionDependencies;
  jobs: MemoryCommandJobs;
  /** Requests the fake client received: method, path, query. */
  calls: string[];
  /**
   * Decides reviews, and what an impersonated request may do; allows everything until a test replaces
   * `allow`.
   */
  policy: { allow: (user: User, attributes: ResourceAttributes) => boolean };
  /** Namespaces where prismgate may create Jobs as users (its `prismgate:untrusted-commands` bindings). */
  impersonation: Set<string>;
}

const JOBS_PATH = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/;

function forbidden(message: string, kind: string): KubeApiError {
  return new KubeApiError(
    403,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message,
      details: { kind },
    },
    message,
  );
}

export async function actionFixture(sandbox: ScriptSandbox): Promise<ActionFixture> {
  const source = new MemoryKappnavSource([
    ...stockTraderObjects(),
    ...instanceMaps(),
    {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { namespace: 'shop', name: 'trader' },
      spec: { host: 'trader.example.com' },
    },
  ]);
  const model = new PrismModel({ runtime: memoryRuntime(source, sandbox), log: pino({ level: 'silent' }) });
  await model.refresh();
  const jobs = new MemoryCommandJobs();
  const calls: string[] = [];
  const policy: ActionFixture['policy'] = { allow: () => true };
  const impersonation = new Set(['shop', 'other']);
  let uid = 0;
  const client: Pick<KubeClient, 'request'> = {
    request: <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
      const as = options.headers?.['Impersonate-User'];
      calls.push(
        `${method} ${path}${options.query?.dryRun ? ' dryRun' : ''}${as ? ` as ${String(as)}` : ''}`,
      );
      const [, namespace = '', name] = JOBS_PATH.exec(path) ?? [];
      if (!namespace) return Promise.reject(new KubeApiError(404, undefined, 'not found'));
      if (as) {
        const groups = options.headers?.['Impersonate-Group'];
        const user = { name: String(as), groups: Array.isArray(groups) ? groups : [], extra: {} };
        if (!impersonation.has(namespace))
          return Promise.reject(forbidden(`cannot impersonate-on:user-info:${method}`, 'users'));
        const verb = method === 'POST' ? 'create' : 'delete';
        if (!policy.allow(user, { verb, group: 'batch', resource: 'jobs', namespace }))
          return Promise.reject(forbidden(`User "${user.name}" cannot ${verb} resource "jobs"`, 'jobs'));
      }
      if (method === 'POST' && name === undefined) {
        const job = options.body as KubeObject;
        const created = { ...job, metadata: { ...job.metadata, uid: `job-uid-${++uid}` } };
        if (!options.query?.dryRun) {
          jobs.items.push(created);
          jobs.changed();
        }
        return Promise.resolve(created as T);
      }
      if (method === 'DELETE') {
        const at = jobs.items.findIndex(
          (j) => objectPath(CORE_TYPES.jobs, j.metadata?.namespace, j.metadata?.name ?? '') === path,
        );
        if (at < 0) return Promise.reject(new KubeApiError(404, undefined, 'not found'));
        if (!options.query?.dryRun) jobs.items.splice(at, 1);
        jobs.changed();
        return Promise.resolve({} as T);
      }
      return Promise.reject(new KubeApiError(404, undefined, 'not found'));
    },
  };
  const reviewer = {
    review: (user: User, attributes: AccessAttributes) => {
      const allowed = 'resource' in attributes ? policy.allow(user, attributes.resource) : true;
      return Promise.resolve({ allowed, reason: allowed ? '' : 'no RBAC policy matched' });
    },
  };
  const types = [...SOURCE_TYPES, ROUTE_TYPE];
  const deps: ActionDependencies = {
    model,
    cluster: source,
    discovery: sourceDiscovery(source),
    reader: new ObjectReader(source, client),
    resources: new InMemoryResources(types, [...types.flatMap((t) => source.list(t))]),
    access: new ReadAccess(reviewer, pino({ level: 'silent' })),
    reviewer,
    sandbox,
    client,
    trust: { policy: () => Promise.resolve({ kappnavNamespace: 'kappnav', labelHonoured: true }) },
  };
  return { source, model, deps, jobs, calls, policy, impersonation };
}

/**
 * The action resources and the seed's action routes on the test pipeline (users from `x-test-user`, every
 * request's own authorization allowed), over `actionFixture`.
 */
export async function startActionApi(sandbox: ScriptSandbox): Promise<{ f: ActionFixture; api: Fixture }> {
  const f = await actionFixture(sandbox);
  const clock = new RevisionClock(1);
  const resolution = new PatternResolution(f.deps);
  const runner = new CommandRunner(f.deps);
  const api = await startFixture({
    groupVersion: PRISM,
    resources: [
      projectedResource(
        actionMapsProjection({
          model: f.model,
          reader: f.deps.reader,
          discovery: {
            all: () => [...SOURCE_TYPES, ROUTE_TYPE].map((t) => ({ ...t, verbs: ['get'], preferred: true })),
          },
        }),
        f.model,
        clock,
        () => [],
      ),
      commandsResource({ jobs: f.jobs, model: f.model, actions: f.deps, clock, staleness: () => [] }),
      new ActionResolutions(resolution),
      new CommandExecutions(runner),
      new MappingPreviews(f.source, f.deps.access),
      new LocalVariant(new ActionResolutions(resolution, localDefinition(ACTION_RESOLUTIONS)), {
        namespacedKindsOnly: f.deps.discovery,
      }),
      new LocalVariant(new MappingPreviews(f.source, f.deps.access, localDefinition(MAPPING_PREVIEWS))),
    ],
    localize: actionMapLocalizer(f.source),
    routes: async (app) => {
      await app.register(kappnavActionRoutes, {
        prefix: COMPAT_BASES[0],
        actions: f.deps,
        resolution,
        runner,
        jobs: f.jobs,
      });
    },
  });
  await f.model.refresh();
  return { f, api };
}
