import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type {
  AccessAttributes,
  ResourceAttributes,
} from '../../../../server/delegated-auth/access-review.ts';
import { ReadAccess } from '../../../../aggregated-api/authz/read-access.ts';
import { RevisionClock } from '../../../../aggregated-api/store/revision-clock.ts';
import { ObjectReader } from '../../cluster/object-reader.ts';
import { MemoryCommandJobs } from '../../../../test/support/prism/action-fixture.ts';
import { MemoryKappnavSource, SOURCE_TYPES } from '../../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../../test/support/kappnav/memory-runtime.ts';
import { stockTraderObjects } from '../../../../test/support/prism/stock-trader.ts';
import { PrismModel } from '../model/prism-model.ts';
import { actionMapsProjection } from './action-maps.ts';
import { applicationsProjection } from './applications.ts';
import { commandsResource } from './commands.ts';
import { componentsProjection } from './components.ts';
import { NameAuthorizer, prismNameGuards } from './name-authorization.ts';
import { namespacesProjection } from './namespaces.ts';
import { projectedResource } from './projected-resource.ts';
import { resourceStatusesProjection } from './resource-statuses.ts';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.close());

const USER: User = { name: 'viewer', groups: [], extra: {} };
/** What the viewer may do, as RBAC would answer; set per test. */
let allow: (attributes: ResourceAttributes) => boolean = () => true;
const delegate = {
  review: (_user: User, attributes: AccessAttributes) => {
    const allowed = !('resource' in attributes) || allow(attributes.resource);
    return Promise.resolve({ allowed, reason: allowed ? '' : 'no RBAC policy matched' });
  },
};
let authorizer: NameAuthorizer;

beforeAll(async () => {
  const source = new MemoryKappnavSource(stockTraderObjects());
  const model = new PrismModel({ runtime: memoryRuntime(source, sandbox), log: pino({ level: 'silent' }) });
  await model.refresh();
  const clock = new RevisionClock(1);
  const discovery = { all: () => SOURCE_TYPES.map((t) => ({ ...t, verbs: ['get'], preferred: true })) };
  const reader = new ObjectReader(source, { request: () => Promise.reject(new Error('no API')) });
  const lookup = { model, reader, discovery };
  const project = <T extends Parameters<typeof projectedResource>[0]>(projection: T) =>
    projectedResource(projection, model, clock, () => []);
  const access = new ReadAccess(delegate, pino({ level: 'silent' }));
  authorizer = new NameAuthorizer(
    delegate,
    access,
    prismNameGuards({
      resources: {
        applications: project(applicationsProjection),
        components: project(componentsProjection),
        namespaces: project(namespacesProjection),
        statuses: project(resourceStatusesProjection(lookup)),
        actionMaps: project(actionMapsProjection(lookup)),
        commands: commandsResource({
          jobs: new MemoryCommandJobs(),
          model,
          actions: {
            client: { request: () => Promise.reject(new Error('no API')) },
            reviewer: delegate,
            cluster: source,
          },
          clock,
          staleness: () => [],
        }),
      },
      applications: () => model.current.applications,
      discovery,
      kappnavNamespace: 'kappnav',
    }),
  );
  await model.refresh();
});

const get = async (resource: string, name: string, namespace?: string) =>
  (
    await authorizer.review(USER, {
      resource: {
        verb: 'get',
        group: 'prism.kappnav.io',
        resource,
        name,
        ...(namespace ? { namespace } : {}),
      },
    })
  ).allowed;

describe('NameAuthorizer (issue 15, finding 6)', () => {
  it.each([
    ['resourcestatuses', 'service:trader', 'service:no-such-service'],
    ['actionmaps', 'service:trader', 'service:no-such-service'],
    ['prismcomponents', 'stock-trader.service.trader', 'stock-trader.service.no-such-service'],
  ])(
    'denies %s of a Service the user may not read, whether it exists or not',
    async (resource, existing, missing) => {
      allow = (a) => a.resource !== 'services';
      expect([await get(resource, existing, 'shop'), await get(resource, missing, 'shop')]).toEqual([
        false,
        false,
      ]);
      allow = () => true;
      expect([await get(resource, existing, 'shop'), await get(resource, missing, 'shop')]).toEqual([
        true,
        true,
      ]);
    },
  );

  it('asks for get of the named resource itself for a status or an action map', async () => {
    allow = (a) => a.resource !== 'services' || (a.verb === 'get' && a.name === 'trader');
    expect(await get('resourcestatuses', 'service:trader', 'shop')).toBe(true);
    expect(await get('resourcestatuses', 'service:other-service', 'shop')).toBe(false);
  });

  it("takes a component of another namespace as its own requirements say, a missing one as any namespace's", async () => {
    // Deployments may be listed in shop only; loyalty is a component of stock-trader in namespace other.
    allow = (a) => a.resource !== 'deployments' || a.namespace === 'shop';
    expect(await get('prismcomponents', 'stock-trader.deployment.apps.trader', 'shop')).toBe(true);
    expect(await get('prismcomponents', 'stock-trader.deployment.apps.loyalty.other', 'shop')).toBe(false);
    expect(await get('prismcomponents', 'stock-trader.deployment.apps.ghost.other', 'shop')).toBe(false);
    expect(await get('prismcomponents', 'stock-trader.deployment.apps.ghost', 'shop')).toBe(false);
    allow = (a) => a.resource !== 'deployments' || a.namespace === undefined;
    expect(await get('prismcomponents', 'stock-trader.deployment.apps.ghost', 'shop')).toBe(true);
  });

  it('denies an application or a namespace by name as its listing would', async () => {
    allow = (a) => a.resource !== 'applications';
    expect([
      await get('prismapplications', 'stock-trader', 'shop'),
      await get('prismapplications', 'none', 'shop'),
    ]).toEqual([false, false]);
    allow = (a) => a.resource !== 'namespaces';
    expect([await get('prismnamespaces', 'shop'), await get('prismnamespaces', 'none')]).toEqual([
      false,
      false,
    ]);
  });

  it("asks for list jobs in the kappnav namespace for a command name nobody's Job carries", async () => {
    allow = (a) => a.resource !== 'jobs';
    expect(await get('commands', 'kappnav-no-such-job')).toBe(false);
    allow = (a) => a.resource !== 'jobs' || a.namespace === 'kappnav';
    expect(await get('commands', 'kappnav-no-such-job')).toBe(true);
  });

  it('leaves lists, other groups and what the delegate denies as the delegate decides', async () => {
    allow = (a) => a.resource !== 'services';
    const list = await authorizer.review(USER, {
      resource: { verb: 'list', group: 'prism.kappnav.io', resource: 'resourcestatuses', namespace: 'shop' },
    });
    expect(list.allowed).toBe(true);
    allow = (a) => a.resource !== 'resourcestatuses';
    const denied = await authorizer.review(USER, {
      resource: {
        verb: 'get',
        group: 'prism.kappnav.io',
        resource: 'resourcestatuses',
        name: 'service:trader',
        namespace: 'shop',
      },
    });
    expect(denied).toEqual({ allowed: false, reason: 'no RBAC policy matched' });
  });

  it('says which underlying permission is missing', async () => {
    allow = (a) => a.resource !== 'services';
    const decision = await authorizer.review(USER, {
      resource: {
        verb: 'get',
        group: 'prism.kappnav.io',
        resource: 'actionmaps',
        name: 'service:trader',
        namespace: 'shop',
      },
    });
    expect(decision.reason).toBe(
      'the object shows what the user may not read: User "viewer" cannot get resource "services" in API group "" in the namespace "shop": no RBAC policy matched',
    );
  });
});
