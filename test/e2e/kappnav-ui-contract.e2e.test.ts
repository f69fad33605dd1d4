/**
 * The kAppNav UI's calls, replayed as its server sends them (issue 17): it forwards `/kappnav/*` to
 * `$TARGET/kappnav/*` unchanged, so with `TARGET=<kubectl proxy>/apis/prism.kappnav.io/v1` every call
 * reaches `…/v1/kappnav/<endpoint>` through a real `kubectl proxy`, with the UI's `CSRF-Token` header on
 * writes and JSON bodies. Each answer is checked for what the UI reads of it. As the administrator, and
 * as `dev-user`, who may reach the paths but not create Applications, and may list Secrets in one
 * namespace only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { application, KAPPNAV_NAMESPACE, WORKLOAD_KINDS } from './support/kappnav.ts';
import { stockTrader } from './support/prism-fixtures.ts';
import { startKubectlProxy, startPrismApi, type RunningPrismApi } from './support/prism-api.ts';

/** Where the UI server's `/kappnav/*` lands with `TARGET=<kubectl proxy>/apis/prism.kappnav.io/v1`. */
const UI = '/apis/prism.kappnav.io/v1/kappnav';
const CSRF = { 'CSRF-Token': 'token-the-ui-server-checks' };

type Proxy = Awaited<ReturnType<typeof startKubectlProxy>>;
type Answer = { status: number; body: unknown };
const bodyOf = <T>(answer: Answer) => answer.body as T;

function credentialSecret(name: string, namespace: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { 'credential-type': 'app-navigator' } },
    stringData: { username: 'ui', password: 'never-shown' },
  };
}

/** trader's instance-level action map (kam-default's `${namespace}.actions.${kind}.${name}`), unlabelled. */
function unlabelledMap(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${namespace}.actions.deployment.trader`, namespace },
    data: {
      'url-actions': JSON.stringify([
        { name: 'unlabelled', text: 'Unlabelled', 'url-pattern': 'http://example.com' },
      ]),
    },
  };
}

describe('the kAppNav UI against prismgate through kubectl proxy', () => {
  let api: RunningPrismApi;
  let admin: Proxy;
  let developer: Proxy;
  let shop: string;
  let other: string;
  let closed: string;
  let grant: string;

  beforeAll(async () => {
    api = await startPrismApi();
    [shop, other, closed] = [
      await freshNamespace('shop'),
      await freshNamespace('other'),
      await freshNamespace('closed'),
    ];
    grant = `kappnav-ui-${shop}`;
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        // Before the applications, so that the first lookup of the map finds it.
        unlabelledMap(shop),
        ...stockTrader(shop, other),
        credentialSecret('shop-credentials', shop),
        credentialSecret('closed-credentials', closed),
        {
          // kube-apiserver authorizes `…/v1/kappnav/<endpoint>/<x>/…` as `kappnav/<x>`, and <x> is a name
          // (an application's, a label's): RBAC can only grant every resource of the group. What the user
          // sees and may do is decided behind, by the native permissions each call checks.
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: grant },
          rules: [
            {
              apiGroups: ['prism.kappnav.io'],
              resources: ['*'],
              verbs: ['get', 'create', 'update', 'delete'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: grant },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: grant },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dev-user' }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'ui-reader', namespace: shop },
          rules: [
            { apiGroups: ['app.k8s.io'], resources: ['applications'], verbs: ['get', 'list'] },
            { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'ui-reader', namespace: shop },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ui-reader' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dev-user' }],
        },
      ],
    });
    admin = await startKubectlProxy();
    developer = await startKubectlProxy(inject('developerKubeconfig'));
    await eventually('stock-trader to be served with its status', async () => {
      const answer = await admin.get(`${UI}/applications?namespace=${shop}`);
      const apps = bodyOf<{ applications?: { application: { metadata: { name: string } } }[] }>(answer);
      return apps.applications?.some((a) => a.application.metadata.name === 'stock-trader') ?? false;
    });
  });

  afterAll(async () => {
    admin?.stop();
    developer?.stop();
    // The stack serves the e2e files after this one: dev-user keeps no grant of this file.
    await kubectl(['delete', 'clusterrolebinding,clusterrole', grant, '--ignore-not-found']);
    await kubectl(['delete', 'rolebinding,role', 'ui-reader', '-n', shop, '--ignore-not-found']);
    await api?.stop();
  });

  it('reads kappnav-config at start-up', async () => {
    const answer = await admin.get(`${UI}/configmap/kappnav-config?namespace=${KAPPNAV_NAMESPACE}`);
    expect(answer.status).toBe(200);
    const { data } = bodyOf<{ data: Record<string, string> }>(answer);
    expect(JSON.parse(data['status-color-mapping']!)).toMatchObject({ values: { Normal: 'GREEN' } });
    expect(JSON.parse(data['app-status-precedence']!)).toEqual(['Problem', 'Warning', 'Unknown', 'Normal']);
    expect(data['status-unknown']).toBe('Unknown');
    // dev-user may not get ConfigMaps in kappnav: 403, as kube-apiserver would answer.
    expect(
      (await developer.get(`${UI}/configmap/kappnav-config?namespace=${KAPPNAV_NAMESPACE}`)).status,
    ).toBe(403);
  });

  it('lists the credential secrets by name only, where the user may list Secrets', async () => {
    const names = (answer: Answer) =>
      bodyOf<{ secrets: { metadata: { name: string } }[] }>(answer).secrets.map((s) => s.metadata.name);
    const all = await admin.get(`${UI}/secrets/credential-type/app-navigator`);
    expect(all.status).toBe(200);
    expect(names(all)).toEqual(expect.arrayContaining(['shop-credentials', 'closed-credentials']));
    for (const secret of bodyOf<{ secrets: object[] }>(all).secrets)
      expect(secret).not.toHaveProperty('data');
    const mine = await developer.get(`${UI}/secrets/credential-type/app-navigator`);
    expect(mine.status).toBe(200);
    expect(names(mine)).toContain('shop-credentials');
    expect(names(mine)).not.toContain('closed-credentials');
    expect((await admin.get(`${UI}/secrets/credential-type/a,b`)).status).toBe(422);
  });

  it('gets, creates, updates and deletes an Application as the user', async () => {
    const got = await admin.get(`${UI}/application/stock-trader?namespace=${shop}`);
    expect(got.status).toBe(200);
    expect(bodyOf<{ kind: string }>(got).kind).toBe('Application');
    // The status is stored on the Application when a lifecycle event asks for it; the UI reads it there.
    await kubectlOk(['create', '-f', '-'], {
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
    const annotated = await admin.get(`${UI}/application/stock-trader?namespace=${shop}`);
    expect(
      bodyOf<{ metadata: { annotations: Record<string, string> } }>(annotated).metadata.annotations,
    ).toMatchObject({ 'kappnav.status.value': 'Problem' });

    const made = application('ui-made', {
      namespace: shop,
      kinds: WORKLOAD_KINDS,
      selector: { matchLabels: { solution: 'ui' } },
    });
    const path = `${UI}/application?namespace=${shop}`;
    expect(await admin.request('POST', path, JSON.stringify(made), CSRF)).toEqual({
      status: 200,
      body: { message: 'OK' },
    });
    const stored = bodyOf<{ metadata: { labels?: Record<string, string> } }>(
      await admin.get(`${UI}/application/ui-made?namespace=${shop}`),
    );
    stored.metadata.labels = { edited: 'by-the-ui' };
    const named = `${UI}/application/ui-made?namespace=${shop}`;
    expect(await admin.request('PUT', named, JSON.stringify(stored), CSRF)).toEqual({
      status: 200,
      body: { message: 'OK' },
    });
    expect(
      await kubectlOk(['get', 'application', 'ui-made', '-n', shop, '-o', 'jsonpath={.metadata.labels}']),
    ).toBe('{"edited":"by-the-ui"}');
    expect(await admin.request('POST', path, JSON.stringify(made), CSRF)).toMatchObject({ status: 207 });
    expect((await admin.request('POST', path, '{"kind": ', CSRF)).status).toBe(422);

    // dev-user may read Applications in shop but not create, update or delete them: Kubernetes' 403.
    const denied = await developer.request('POST', path, JSON.stringify(made), CSRF);
    expect(denied.status).toBe(403);
    expect(bodyOf<{ kind: string; reason: string }>(denied)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
    });
    expect((await developer.request('DELETE', named, undefined, CSRF)).status).toBe(403);

    expect(await admin.request('DELETE', named, undefined, CSRF)).toEqual({
      status: 200,
      body: { message: 'OK' },
    });
    expect((await admin.get(named)).status).toBe(207);
  });

  it('counts an instance-level action map without the kappnav.io/map-type label, as kAppNav did', async () => {
    const preview = await admin.get(
      `${UI}/kindactionmapping/resources/trader/Deployment?namespace=${shop}&apiversion=apps/v1`,
    );
    expect(bodyOf<{ 'candidate-maps': string[] }>(preview)['candidate-maps']).toContain(
      `${unlabelledMap(shop).metadata.name}@${shop}`,
    );
    await eventually('the unlabelled map in the action map of trader', async () => {
      const actions = await admin.get(`${UI}/resource/trader/Deployment/actions?namespace=${shop}`);
      const urls = bodyOf<{ 'url-actions'?: { name: string }[] }>(actions)['url-actions'] ?? [];
      return urls.some((u) => u.name === 'unlabelled');
    });
  });

  it('answers the prism calls under the same base', async () => {
    const applications = await admin.get(`${UI}/applications`);
    expect(applications.status).toBe(200);
    expect(bodyOf<{ applications: unknown[] }>(applications).applications.length).toBeGreaterThan(0);
    const components = await admin.get(`${UI}/components/stock-trader?namespace=${shop}`);
    expect(components.status).toBe(200);
    expect(bodyOf<{ components: unknown[] }>(components).components).toHaveLength(4);
    const actions = await admin.get(`${UI}/resource/trader/Deployment/actions?namespace=${shop}`);
    expect(actions.status).toBe(200);
    expect(bodyOf<{ 'url-actions': unknown[] }>(actions)['url-actions'].length).toBeGreaterThan(0);
    const resolved = await admin.get(
      `${UI}/resource/trader/Deployment?namespace=${shop}&action-pattern=${encodeURIComponent('${resource.$.metadata.name}')}`,
    );
    expect(resolved).toEqual({ status: 200, body: { action: 'trader' } });
    const run = await admin.request(
      'POST',
      `${UI}/resource/stock-trader/execute/command/no-such-action?namespace=${shop}`,
      '{}',
      CSRF,
    );
    expect(run.status).toBe(207);
    const runComponent = await admin.request(
      'POST',
      `${UI}/resource/stock-trader/trader/Deployment/execute/command/no-such-action?namespace=${shop}&application-namespace=${shop}`,
      '{}',
      CSRF,
    );
    expect(runComponent.status).toBe(207);
    const time = bodyOf<{ time: string }>(await admin.get(`${UI}/resource/command-time`)).time;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    for (const commands of [`${UI}/resource/commands`, `${UI}/resource/commands?time=${time}`]) {
      const answer = await admin.get(commands);
      expect(answer.status).toBe(200);
      expect(bodyOf<{ commands: unknown[] }>(answer).commands).toEqual(expect.any(Array));
    }
    expect(
      (await admin.request('DELETE', `${UI}/resource/command/no-such-job`, undefined, CSRF)).status,
    ).toBe(207);
    const namespaces = await admin.get(`${UI}/namespaces`);
    expect(namespaces.status).toBe(200);
    expect(
      bodyOf<{ namespaces: { metadata: { name: string } }[] }>(namespaces).namespaces.map(
        (n) => n.metadata.name,
      ),
    ).toContain(shop);
    // The documented base still answers.
    expect((await admin.get(`${UI}/api/applications?namespace=${shop}`)).status).toBe(200);
    const preview = await admin.get(
      `${UI}/kindactionmapping/Deployment?type=status-mapping&apiversion=apps/v1`,
    );
    expect(preview.status).toBe(200);
    expect(bodyOf<{ map: { exists?: unknown } | null }>(preview).map?.exists ?? {}).toEqual(
      expect.any(Object),
    );
  });
});
