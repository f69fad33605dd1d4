/**
 * The whole request pipeline on a plain (non-TLS) fastify instance, driven with `inject()`: users come
 * from an `x-test-user` header (groups from `x-test-groups`), authorization from a rule the test sets,
 * and one readable resource (`widgets`, namespaced) plus one create-only resource (`echoes`) are backed
 * by memory. The group is a parameter of the machinery: its own tests serve SAMPLE (k8s.io/sample-apiserver's
 * group), so that nothing in it can lean on the prism group; the prism resources' tests pass PRISM.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { KubeObject, ObjectMeta } from '../../../pkg/kube/types.ts';
import type { Authenticated, Authenticator } from '../../../aggregated-api/authn/request-authenticator.ts';
import type { User } from '../../../server/delegated-auth/user.ts';
import type {
  AccessAttributes,
  AccessDecision,
  Reviewer,
} from '../../../server/delegated-auth/access-review.ts';
import type { HealthCheck } from '../../../server/health/health-routes.ts';
import { string } from '../../../aggregated-api/resource/json-schema.ts';
import {
  installApiGroup,
  apiListenerOptions,
  type Pipeline,
  type PipelineParts,
} from '../../../aggregated-api/api-pipeline.ts';
import { apiVersionOf, type GroupVersion } from '../../../aggregated-api/resource/group-version.ts';
import type { ResourceDefinition } from '../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
  ReadableResource,
  ServedResource,
} from '../../../aggregated-api/resource/served-resource.ts';
import { RevisionClock } from '../../../aggregated-api/store/revision-clock.ts';
import { VersionedStore } from '../../../aggregated-api/store/versioned-store.ts';
import { ageColumn, nameColumn } from '../../../aggregated-api/table/table.ts';
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from '../../../aggregated-api/watch/watch-handler.ts';

/** The group version the machinery's own tests serve. */
export const SAMPLE: GroupVersion = { group: 'wardle.example.com', version: 'v1alpha1' };

export interface Widget extends KubeObject {
  metadata: ObjectMeta;
  spec: { colour: string; owner: string };
}

export const WIDGETS: ResourceDefinition<Widget> = {
  resource: 'widgets',
  singularName: 'widget',
  kind: 'Widget',
  shortNames: ['wd'],
  categories: ['prism'],
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  description: 'A test resource.',
  properties: {
    spec: { type: 'object', properties: { colour: string('The colour.'), owner: string('Who.') } },
  },
  columns: [
    nameColumn(),
    {
      name: 'Colour',
      type: 'string',
      format: '',
      description: 'colour',
      priority: 0,
      cell: (w) => w.spec.colour,
    },
    ageColumn(),
    {
      name: 'Owner',
      type: 'string',
      format: '',
      description: 'owner',
      priority: 1,
      cell: (w) => w.spec.owner,
    },
  ],
  selectableFields: { 'spec.colour': (w) => w.spec.colour },
};

const ECHOES: ResourceDefinition = {
  resource: 'echoes',
  singularName: 'echo',
  kind: 'Echo',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  description: 'Answers what it was sent.',
  properties: { spec: { type: 'object', properties: { text: string('Text.') } } },
  columns: [nameColumn()],
  selectableFields: {},
};

export function widget(
  namespace: string,
  name: string,
  colour: string,
  labels: Record<string, string> = {},
): Widget {
  return {
    apiVersion: apiVersionOf(SAMPLE),
    kind: 'Widget',
    metadata: { name, namespace, labels, creationTimestamp: '2024-01-01T00:00:00Z' },
    spec: { colour, owner: `${name}-owner` },
  };
}

/** Admin: member of system:masters, allowed everything without review. */
export const ADMIN = { 'x-test-user': 'admin', 'x-test-groups': 'system:masters' };
export const DEVELOPER = { 'x-test-user': 'dev', 'x-test-groups': 'developers' };

export interface Fixture {
  app: FastifyInstance;
  clock: RevisionClock;
  store: VersionedStore<Widget>;
  /** Reviews the fake reviewer was asked for. */
  reviews: AccessAttributes[];
  /** Decides non-admin access; allows everything by default. */
  allow: (user: User, attributes: AccessAttributes) => boolean;
  /** Readiness failure to report, if any. */
  notReady: string | undefined;
  /** What the create-only resource received. */
  created: CreateRequest[];
  stale: string[];
}

const testAuthenticator: Authenticator = {
  authenticate: ({ rawHeaders }): Promise<Authenticated | undefined> => {
    const header = (name: string) => {
      const at = rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name);
      return at < 0 ? undefined : rawHeaders[at + 1];
    };
    const name = header('x-test-user');
    const groups = header('x-test-groups')?.split(',') ?? [];
    return Promise.resolve(name ? { user: { name, groups, extra: {} }, method: 'token' } : undefined);
  },
};

export interface FixtureOptions {
  /** The group version served; SAMPLE by default. */
  groupVersion?: GroupVersion;
  watch?: Partial<WatchSettings>;
  /** Served besides `widgets` and `echoes`. */
  resources?: ServedResource[];
  /** The pipeline's `?locale=` step. */
  localize?: PipelineParts['localize'];
  /** Routes to add after the pipeline, with the pipeline's read access (the seed shapes). */
  routes?: (app: FastifyInstance, pipeline: Pipeline) => Promise<unknown>;
}

export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const clock = new RevisionClock(1000);
  const store = new VersionedStore<Widget>(clock, { logCapacity: 5 });
  const fixture: Fixture = {
    app: fastify(apiListenerOptions()),
    clock,
    store,
    reviews: [],
    allow: () => true,
    notReady: undefined,
    created: [],
    stale: [],
  };
  const reviewer: Reviewer = {
    review(user, attributes): Promise<AccessDecision> {
      if (user.groups.includes('system:masters')) return Promise.resolve({ allowed: true, reason: '' });
      fixture.reviews.push(attributes);
      const allowed = fixture.allow(user, attributes);
      return Promise.resolve({ allowed, reason: allowed ? '' : 'no RBAC policy matched' });
    },
  };
  const widgets: ReadableResource<Widget> = {
    definition: WIDGETS,
    store,
    readRequirements: (w) => [
      { group: 'example.io', resource: 'things', namespace: w.metadata.namespace ?? '' },
    ],
    staleness: () => fixture.stale,
  };
  const echoes: CreatableResource = {
    definition: ECHOES,
    create(request) {
      fixture.created.push(request);
      return Promise.resolve({ ...request.body, status: { echoed: true } });
    },
  };
  const readiness: HealthCheck[] = [{ name: 'informer-sync', check: () => fixture.notReady }];
  const pipeline = await installApiGroup(fixture.app, {
    groupVersion: options.groupVersion ?? SAMPLE,
    authenticator: testAuthenticator,
    reviewer,
    resources: [widgets, echoes, ...(options.resources ?? [])],
    ...(options.localize ? { localize: options.localize } : {}),
    clock,
    registry: new Registry(),
    readiness,
    watchSettings: { ...DEFAULT_WATCH_SETTINGS, ...options.watch },
    log: pino({ level: 'silent' }),
  });
  await options.routes?.(fixture.app, pipeline);
  return fixture;
}
