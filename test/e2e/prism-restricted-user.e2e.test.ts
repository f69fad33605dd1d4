/**
 * What a restricted user sees, on the real control plane: `dev-user` (group prism-developers) may read
 * the prism resources cluster-wide, but of the underlying resources only Applications and Deployments in
 * one namespace. The prism API shows them exactly that: applications of that namespace, Deployment
 * components there (not its Services, not components elsewhere), that namespace. Direct callers are
 * authenticated by client certificate or TokenReview and authorized by SubjectAccessReview; without
 * credentials they are system:anonymous (403 but on the health endpoints), with bad ones they get 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DAY_MS, issueClientCertificate } from '../../certs/pki.ts';
import { eventually, freshNamespace, kubectl, kubectlOk, pkiFile } from './support/cluster.ts';
import { application, deployment } from './support/kappnav.ts';
import { stockTrader } from './support/prism-fixtures.ts';
import {
  apiServiceAvailable,
  clientCertificateOf,
  requestDirectly,
  startKubectlProxy,
  startPrismApi,
  type RunningPrismApi,
} from './support/prism-api.ts';

const developer = () => ({ kubeconfig: inject('developerKubeconfig') });

describe('the prism API as a restricted user', () => {
  let api: RunningPrismApi;
  let shop: string;
  let other: string;
  let closed: string;
  let reader: string;

  beforeAll(async () => {
    api = await startPrismApi();
    [shop, other, closed] = [
      await freshNamespace('shop'),
      await freshNamespace('other'),
      await freshNamespace('closed'),
    ];
    reader = `prism-reader-${shop}`;
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        ...stockTrader(shop, other),
        application('secret-plans', {
          namespace: closed,
          kinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { app: 'plans' } },
        }),
        deployment('plans', closed, { app: 'plans' }),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: reader },
          rules: [
            {
              apiGroups: ['prism.kappnav.io'],
              resources: [
                'prismapplications',
                'prismcomponents',
                'prismnamespaces',
                'resourcestatuses',
                'kappnav/applications',
                'kappnav/components',
                'kappnav/namespaces',
                'kappnav/status',
                'kappnav/resource',
              ],
              verbs: ['get', 'list', 'watch'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: reader },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'prism-developers' }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'app-reader', namespace: shop },
          rules: [
            { apiGroups: ['app.k8s.io'], resources: ['applications'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'app-reader', namespace: shop },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app-reader' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'prism-developers' }],
        },
      ],
    });
    await eventually('the applications to be served', async () => {
      const out = await kubectlOk(['get', 'papp', '-A', '-o', 'name']);
      return out.includes('stock-trader') && out.includes('secret-plans');
    });
  });

  afterAll(async () => {
    await kubectl(['delete', 'clusterrolebinding,clusterrole', reader, '--ignore-not-found']);
    await api?.stop();
  });

  it('lists only the applications of namespaces where the user may list Applications', async () => {
    const out = await kubectlOk(
      [
        'get',
        'papp',
        '-A',
        '-o',
        'custom-columns=NS:.metadata.namespace,NAME:.metadata.name',
        '--no-headers',
      ],
      developer(),
    );
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).join('/'))
        .sort(),
    ).toEqual([`${shop}/bundle`, `${shop}/stock-trader`]);
    const none = await kubectlOk(['get', 'papp', '-n', closed], developer());
    expect(none).toBe('');
    // The administrator sees all of them.
    expect(await kubectlOk(['get', 'papp', '-n', closed, '-o', 'name'])).toContain('secret-plans');
  });

  it('shows only the components whose resources the user may read', async () => {
    const out = await kubectlOk(
      ['get', 'pcomp', '-n', shop, '-l', 'prism.kappnav.io/application=stock-trader', '-o', 'name'],
      developer(),
    );
    expect(out.trim().split('\n').sort()).toEqual([
      'prismcomponent.prism.kappnav.io/stock-trader.deployment.apps.portfolio',
      'prismcomponent.prism.kappnav.io/stock-trader.deployment.apps.trader',
    ]);
    const service = await kubectl(['get', 'pcomp', 'stock-trader.service.trader', '-n', shop], developer());
    expect(service.code).not.toBe(0);
    // Authorized by what it shows before it is looked up: the 403 names the permission it shows.
    expect(service.stderr).toContain(
      'prismcomponents.prism.kappnav.io "stock-trader.service.trader" is forbidden: User "dev-user" cannot get resource "prismcomponents"',
    );
    expect(service.stderr).toContain(
      `the object shows what the user may not read: User "dev-user" cannot list resource "services" in API group "" in the namespace "${shop}"`,
    );
    const all = await kubectlOk(['get', 'prism', '-A', '-o', 'name'], developer());
    expect(all).not.toContain('loyalty');
    expect(all).not.toContain('secret-plans');
  });

  it('shows only the namespaces the user may get', async () => {
    const out = await kubectlOk(['get', 'pns', '-o', 'name'], developer());
    expect(out.trim()).toBe(`prismnamespace.prism.kappnav.io/${shop}`);
  });

  it('scopes the seed shapes through kubectl proxy the same way', async () => {
    const proxy = await startKubectlProxy(inject('developerKubeconfig'));
    try {
      const apps = (await proxy.get('/apis/prism.kappnav.io/v1/kappnav/api/applications')).body as {
        applications: { application: { metadata: { namespace: string; name: string } } }[];
      };
      expect(
        apps.applications
          .map((a) => `${a.application.metadata.namespace}/${a.application.metadata.name}`)
          .sort(),
      ).toEqual([`${shop}/bundle`, `${shop}/stock-trader`]);
      const components = (
        await proxy.get(`/apis/prism.kappnav.io/v1/kappnav/api/components/stock-trader?namespace=${shop}`)
      ).body as { components: { component: { kind: string; metadata: { name: string } } }[] };
      expect(
        components.components.map((c) => `${c.component.kind}/${c.component.metadata.name}`).sort(),
      ).toEqual(['Deployment/portfolio', 'Deployment/trader']);
      // dev-user may not list the Applications of closed: 403 whether secret-plans exists or not.
      for (const name of ['secret-plans', 'no-such-app']) {
        const hidden = await proxy.get(
          `/apis/prism.kappnav.io/v1/kappnav/api/components/${name}?namespace=${closed}`,
        );
        expect(hidden.status).toBe(403);
      }
    } finally {
      proxy.stop();
    }
  });

  it('believes X-Remote headers only from the front proxy certificate with an allowed name', async () => {
    const proxyClient = {
      certPem: pkiFile('front-proxy-client.crt'),
      keyPem: pkiFile('front-proxy-client.key'),
    };
    const headers = { 'x-remote-user': 'dev-user', 'x-remote-group': 'prism-developers' };
    const asProxy = await requestDirectly(api, '/apis/prism.kappnav.io/v1/prismapplications', {
      certificate: proxyClient,
      headers,
    });
    expect(asProxy.status).toBe(200);
    expect(
      (JSON.parse(asProxy.body) as { items: { metadata: { namespace: string } }[] }).items.map(
        (i) => i.metadata.namespace,
      ),
    ).toEqual([shop, shop]);
    // Same CA, a name not in requestheader-allowed-names: the headers are not believed.
    const frontProxyCa = { certPem: pkiFile('front-proxy-ca.crt'), keyPem: pkiFile('front-proxy-ca.key') };
    const impostor = issueClientCertificate(frontProxyCa, { name: 'impostor' }, { validForMs: DAY_MS });
    expect(
      (await requestDirectly(api, '/apis/prism.kappnav.io/v1', { certificate: impostor, headers })).status,
    ).toBe(401);
  });

  it('authenticates direct callers by cluster client certificate and TokenReview, anonymous without credentials', async () => {
    const anonymous = await requestDirectly(api, '/apis/prism.kappnav.io/v1');
    expect(anonymous.status).toBe(403);
    expect(JSON.parse(anonymous.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message: 'forbidden: User "system:anonymous" cannot get path "/apis/prism.kappnav.io/v1"',
      code: 403,
    });
    expect((await requestDirectly(api, '/readyz')).body).toBe('ok');
    expect((await requestDirectly(api, '/apis/prism.kappnav.io/v1', { token: 'not-a-token' })).status).toBe(
      401,
    );
    const certificate = clientCertificateOf(inject('developerKubeconfig'));
    const asDeveloper = await requestDirectly(
      api,
      `/apis/prism.kappnav.io/v1/namespaces/${closed}/prismapplications`,
      { certificate },
    );
    expect(asDeveloper.status).toBe(200);
    expect(JSON.parse(asDeveloper.body)).toMatchObject({ kind: 'PrismApplicationList', items: [] });

    await kubectlOk(['create', 'serviceaccount', 'robot', '-n', shop]);
    const token = (await kubectlOk(['create', 'token', 'robot', '-n', shop])).trim();
    const forbidden = await requestDirectly(
      api,
      `/apis/prism.kappnav.io/v1/namespaces/${shop}/prismapplications`,
      { token },
    );
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body).message).toBe(
      `prismapplications.prism.kappnav.io is forbidden: User "system:serviceaccount:${shop}:robot" cannot list resource "prismapplications" in API group "prism.kappnav.io" in the namespace "${shop}"`,
    );
    await kubectlOk([
      'create',
      'rolebinding',
      'robot-reads',
      '-n',
      shop,
      `--clusterrole=${reader}`,
      `--serviceaccount=${shop}:robot`,
    ]);
    await kubectlOk([
      'create',
      'rolebinding',
      'robot-apps',
      '-n',
      shop,
      '--role=app-reader',
      `--serviceaccount=${shop}:robot`,
    ]);
    const allowed = await eventually(
      'the binding to reach the authorizer (SubjectAccessReviews are cached 10 s)',
      async () => {
        const res = await requestDirectly(
          api,
          `/apis/prism.kappnav.io/v1/namespaces/${shop}/prismapplications`,
          { token },
        );
        return res.status === 200 ? res : undefined;
      },
      30_000,
      1000,
    );
    expect((JSON.parse(allowed.body) as { items: unknown[] }).items).toHaveLength(2);
  });

  it('kept the APIService Available', async () => {
    expect(await apiServiceAvailable()).toBe('True');
  });
});
