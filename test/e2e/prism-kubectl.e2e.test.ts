/**
 * The prism API as an administrator sees it through kubectl and `kubectl proxy`, on the real control
 * plane: discovery (api-resources, the prism category), Table printing (default and wide), label and
 * field selectors, explain (OpenAPI v3 through the aggregator), a watch that streams a change, the native
 * and the seed JSON shapes, lifecycle events, and the cluster staying healthy around an aggregated API
 * (the APIService Available throughout, namespace deletion completing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { application, deployment } from './support/kappnav.ts';
import { stockTrader } from './support/prism-fixtures.ts';
import {
  apiServiceAvailable,
  kubectlUntil,
  startKubectlProxy,
  startPrismApi,
  storedStatusValue,
  type RunningPrismApi,
} from './support/prism-api.ts';

describe('the prism API through kubectl, as an administrator', () => {
  let api: RunningPrismApi;
  let shop: string;
  let other: string;
  const availability: string[] = [];
  let sampler: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    api = await startPrismApi();
    sampler = setInterval(() => void apiServiceAvailable().then((s) => availability.push(s)), 1000);
    shop = await freshNamespace('shop');
    other = await freshNamespace('other');
    await kubectlOk(['apply', '-f', '-'], { input: stockTrader(shop, other) });
    // The Deployment controller reports 1 wanted, 0 available (no kubelet): Problem.
    await eventually(
      'stock-trader with 4 components and the Problem status',
      async () =>
        (
          await kubectlOk([
            'get',
            'papp',
            'stock-trader',
            '-n',
            shop,
            '-o',
            'jsonpath={.status.componentCount}/{.status.value}',
          ])
        ).trim() === '4/Problem',
      60_000,
    );
  });

  afterAll(async () => {
    clearInterval(sampler);
    await api?.stop();
  });

  it('lists the group and its resources in kubectl api-resources', async () => {
    const out = await kubectlOk(['api-resources', '--api-group=prism.kappnav.io', '-o', 'wide']);
    expect(out).toMatch(
      /prismapplications\s+papp\s+prism\.kappnav\.io\/v1\s+true\s+PrismApplication\s+get,list,watch\s+prism/,
    );
    expect(out).toMatch(/prismcomponents\s+pcomp\s+prism\.kappnav\.io\/v1\s+true\s+PrismComponent/);
    expect(out).toMatch(/prismnamespaces\s+pns\s+prism\.kappnav\.io\/v1\s+false\s+PrismNamespace/);
    expect(out).toMatch(/lifecycleevents\s+prism\.kappnav\.io\/v1\s+false\s+LifecycleEvent\s+create/);
    // The complete discovery must succeed (a failing aggregated API makes this exit non-zero).
    await kubectlOk(['api-resources']);
  });

  it('kubectl get prism -A lists applications, components and namespaces', async () => {
    const out = await kubectlOk(['get', 'prism', '-A']);
    expect(out).toContain(`prismapplication.prism.kappnav.io/stock-trader`);
    expect(out).toContain(`prismcomponent.prism.kappnav.io/stock-trader.deployment.apps.trader`);
    expect(out).toContain(`prismnamespace.prism.kappnav.io/${shop}`);
    expect(out).not.toContain('hidden-app');
  });

  it('kubectl get papp -A -o wide shows status, component counts, kinds and flyover', async () => {
    const out = await kubectlOk(['get', 'prismapplications', '-A', '-o', 'wide']);
    const header = out.split('\n')[0]!;
    expect(header.split(/\s+/)).toEqual([
      'NAMESPACE',
      'NAME',
      'STATUS',
      'COMPONENTS',
      'AGE',
      'KINDS',
      'FLYOVER',
    ]);
    expect(out).toMatch(
      new RegExp(
        `${shop}\\s+stock-trader\\s+Problem\\s+4\\s+\\S+\\s+Deployment\\.apps,Service\\s+4 components: 3 Problem, 1 Normal`,
      ),
    );
    // bundle contains stock-trader, whose status it takes.
    expect(out).toMatch(new RegExp(`${shop}\\s+bundle\\s+Problem\\s+1\\s+`));
    expect(out).not.toContain('hidden-app');
    const narrow = await kubectlOk(['get', 'papp', '-n', shop]);
    expect(narrow.split('\n')[0]!.split(/\s+/)).toEqual(['NAME', 'STATUS', 'COMPONENTS', 'AGE']);
  });

  it("kubectl get pcomp lists one application's components, by label and by field", async () => {
    const out = await kubectlOk([
      'get',
      'pcomp',
      '-n',
      shop,
      '-l',
      'prism.kappnav.io/application=stock-trader',
    ]);
    const rows = out.trim().split('\n');
    expect(rows[0]!.split(/\s+/)).toEqual(['NAME', 'KIND', 'COMPONENT', 'STATUS', 'AGE']);
    expect(rows.slice(1).map((row) => row.split(/\s+/).slice(0, 4))).toEqual(
      expect.arrayContaining([
        ['stock-trader.deployment.apps.trader', 'Deployment.apps', `${shop}/trader`, 'Problem'],
        ['stock-trader.deployment.apps.portfolio', 'Deployment.apps', `${shop}/portfolio`, 'Problem'],
        ['stock-trader.service.trader', 'Service', `${shop}/trader`, 'Normal'],
        [`stock-trader.deployment.apps.loyalty.${other}`, 'Deployment.apps', `${other}/loyalty`, 'Problem'],
      ]),
    );
    expect(rows).toHaveLength(5);
    const services = await kubectlOk([
      'get',
      'pcomp',
      '-n',
      shop,
      '--field-selector',
      'spec.application=stock-trader,spec.component.kind=Service',
      '-o',
      'name',
    ]);
    expect(services.trim()).toBe('prismcomponent.prism.kappnav.io/stock-trader.service.trader');
    const nested = await kubectlOk([
      'get',
      'pcomp',
      '-n',
      shop,
      '-l',
      'prism.kappnav.io/application=bundle',
      '-o',
      'name',
    ]);
    expect(nested.trim()).toBe('prismcomponent.prism.kappnav.io/bundle.application.app.k8s.io.stock-trader');
  });

  it('answers bad input with the Status kubectl expects', async () => {
    const selector = await kubectl(['get', 'pcomp', '-n', shop, '-l', 'a in (x']);
    expect(selector.code).not.toBe(0);
    expect(selector.stderr).toContain("unable to parse requirement: found '', expected: ',' or ')'");
    const field = await kubectl(['get', 'pcomp', '-n', shop, '--field-selector', 'spec.colour=red']);
    expect(field.stderr).toContain('field label not supported: spec.colour');
    const missing = await kubectl(['get', 'papp', 'no-such-app', '-n', shop]);
    expect(missing.stderr).toContain('prismapplications.prism.kappnav.io "no-such-app" not found');
    const verb = await kubectl(['delete', 'papp', 'stock-trader', '-n', shop]);
    expect(verb.stderr).toMatch(/MethodNotAllowed|not supported|the server does not allow this method/);
    const unknown = await kubectl(['get', '--raw', '/apis/prism.kappnav.io/v1/nonsense']);
    expect(unknown.stderr).toContain('NotFound');
  });

  it('kubectl explain shows the kinds and their fields', async () => {
    const out = await eventually(
      'the OpenAPI of prism.kappnav.io to reach kubectl explain',
      async () => {
        const result = await kubectl(['explain', 'prismapplications.status']);
        return result.code === 0 ? result.stdout : undefined;
      },
      60_000,
      1000,
    );
    expect(out).toContain('KIND:       PrismApplication');
    expect(out).toContain('componentCount');
    const component = await kubectlOk(['explain', 'pcomp.spec.component']);
    expect(component).toContain('resource');
  });

  it('kubectl get -w streams a status change', async () => {
    let listed = false;
    const row = /stock-trader\.deployment\.apps\.portfolio\s+Deployment\.apps\s+\S+\s+Normal/;
    const watched = kubectlUntil(['get', 'pcomp', '-n', shop, '-w'], (out) => listed && row.test(out), {
      timeoutMs: 60_000,
      started: (out) => {
        if (!listed && out.includes('stock-trader.deployment.apps.portfolio')) {
          listed = true;
          // Scaled to zero, the Deployment wants nothing: Normal.
          void kubectlOk(['scale', 'deployment', 'portfolio', '-n', shop, '--replicas=0']);
        }
      },
    });
    const out = await watched;
    expect(out).toMatch(/stock-trader\.deployment\.apps\.portfolio\s+Deployment\.apps\s+\S+\s+Problem/);
    expect(out).toMatch(row);
    // Column headers come once, with the first event.
    expect(out.match(/^NAME\s+KIND/gm)).toHaveLength(1);
  });

  it("kubectl proxy serves the native objects and the seed's JSON shapes", async () => {
    const proxy = await startKubectlProxy();
    try {
      const native = await proxy.get(
        `/apis/prism.kappnav.io/v1/namespaces/${shop}/prismapplications/stock-trader`,
      );
      expect(native.status).toBe(200);
      expect(native.body).toMatchObject({
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'PrismApplication',
        metadata: { name: 'stock-trader', namespace: shop },
        status: { componentCount: 4, componentKinds: ['Deployment.apps', 'Service'] },
      });
      const seed = (await proxy.get(`/apis/prism.kappnav.io/v1/kappnav/api/applications?namespace=${shop}`))
        .body as {
        applications: {
          application: { kind: string; metadata: { name: string } };
          'action-map': object;
          'section-map': object;
        }[];
      };
      expect(seed.applications.map((a) => a.application.metadata.name).sort()).toEqual([
        'bundle',
        'stock-trader',
      ]);
      expect(seed.applications[0]).toHaveProperty('action-map');
      expect(seed.applications[0]).toHaveProperty('section-map');
      expect(seed.applications[0]!.application.kind).toBe('Application');
      const components = (
        await proxy.get(`/apis/prism.kappnav.io/v1/kappnav/api/components/stock-trader?namespace=${shop}`)
      ).body as {
        components: { component: { kind: string; metadata: { name: string } }; 'action-map': object }[];
      };
      expect(
        components.components.map((c) => `${c.component.kind}/${c.component.metadata.name}`).sort(),
      ).toEqual(['Deployment/loyalty', 'Deployment/portfolio', 'Deployment/trader', 'Service/trader']);
      expect(
        components.components.find((c) => c.component.kind === 'Deployment')!['action-map'],
      ).toHaveProperty('url-actions');
      const namespaces = (await proxy.get('/apis/prism.kappnav.io/v1/kappnav/api/namespaces')).body as {
        namespaces: { kind: string; metadata: { name: string } }[];
      };
      expect(namespaces.namespaces.map((n) => n.metadata.name)).toContain(shop);
      const status = await proxy.get(
        `/apis/prism.kappnav.io/v1/kappnav/api/status/trader/Service?namespace=${shop}`,
      );
      expect(status.body).toEqual({
        value: 'Normal',
        flyover: 'Service exists.',
        'flyover.nls': ['status.flyover.service'],
      });
      const missing = await proxy.get(
        `/apis/prism.kappnav.io/v1/kappnav/api/components/nope?namespace=${shop}`,
      );
      expect(missing).toEqual({ status: 207, body: { message: `application ${shop}/nope not found` } });
    } finally {
      proxy.stop();
    }
  });

  it('a LifecycleEvent computes and stores the status of a resource and of its applications', async () => {
    const out = await kubectlOk(['create', '-o', 'json', '-f', '-'], {
      input: {
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'LifecycleEvent',
        metadata: { name: 'trader-updated' },
        spec: {
          type: 'Updated',
          resource: { apiVersion: 'v1', kind: 'Service', namespace: shop, name: 'trader' },
        },
      },
    });
    const statuses = (
      JSON.parse(out) as { status: { statuses: { kind: string; name: string; value: string }[] } }
    ).status.statuses;
    expect(statuses.map((s) => `${s.kind}/${s.name}=${s.value}`)).toEqual(
      expect.arrayContaining([
        'Service/trader=Normal',
        'Application/stock-trader=Problem',
        'Application/bundle=Problem',
      ]),
    );
    expect(await storedStatusValue('svc', shop, 'trader')).toBe('Normal');
    const invalid = await kubectl(['create', '-f', '-'], {
      input: {
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'LifecycleEvent',
        metadata: { name: 'x' },
        spec: { type: 'Exploded', resource: { kind: 'Service' } },
      },
    });
    expect(invalid.stderr).toContain('spec.type: Unsupported value: "Exploded"');
    expect(invalid.stderr).toContain('spec.resource.name: Required value');
  });

  it('lets a namespace holding applications be deleted while it runs', async () => {
    const doomed = await freshNamespace('doomed');
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        application('short-lived', {
          namespace: doomed,
          kinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { app: 'x' } },
        }),
        deployment('x', doomed, { app: 'x' }),
      ],
    });
    await eventually(
      'the application to be served',
      async () => (await kubectl(['get', 'papp', 'short-lived', '-n', doomed])).code === 0,
    );
    await kubectlOk(['delete', 'namespace', doomed, '--wait=false']);
    await eventually(
      'the namespace to be gone',
      async () => (await kubectl(['get', 'namespace', doomed])).code !== 0,
      90_000,
      500,
    );
    await eventually(
      'its application to be gone',
      async () => (await kubectl(['get', 'papp', 'short-lived', '-n', doomed])).code !== 0,
    );
  });

  it('kept the APIService Available throughout', async () => {
    expect(await apiServiceAvailable()).toBe('True');
    expect(availability.length).toBeGreaterThan(5);
    expect(availability.filter((s) => s !== 'True')).toEqual([]);
  });
});
