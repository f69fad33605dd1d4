/**
 * kAppNav actions through the prism API, on the real control plane (kappnav-prism.md §3, §5, §6):
 * KindActionMapping candidates and the merge example as `actionmaps` (and the preview), the loyalty
 * example resolved (snippet + kubectlGet of a Route-like custom resource installed here), command actions
 * run as Jobs for an application and a component by the restricted `dev-user`, listed for that user only
 * and deleted, `?locale=` translation, and the seed's REST shapes through `kubectl proxy`.
 *
 * Cluster-wide objects made here (the Route CRD, cluster roles, the kappnav-namespace maps) are removed
 * after; the e2e files share one control plane.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { application, deployment, service } from './support/kappnav.ts';
import { startKubectlProxy, startPrismApi, type RunningPrismApi } from './support/prism-api.ts';

const developer = () => ({ kubeconfig: inject('developerKubeconfig') });
const ROUTE_GROUP = 'route.e2e.kappnav.io';
const TRADER = { solution: 'stock-trader' };
const LOYALTY_PATTERN =
  'http://${snippet.get_route_host(${func.kubectlGet(Route,${resource.$.metadata.name},-n,${resource.$.metadata.namespace},-o,json)})}';

/** An action config map; outside the kappnav namespace it needs the label the server caches by. */
function actionMap(
  namespace: string,
  name: string,
  data: Record<string, unknown>,
  annotations: Record<string, string> = {},
): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { 'kappnav.io/map-type': 'actions' }, annotations },
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    ),
  };
}

function withSubkind(object: object, subkind: string): object {
  const o = object as { metadata: { annotations?: Record<string, string> } };
  return { ...o, metadata: { ...o.metadata, annotations: { 'kappnav.subkind': subkind } } };
}

async function getJson<T = Record<string, unknown>>(args: string[], kubeconfig?: string): Promise<T> {
  return JSON.parse(await kubectlOk([...args, '-o', 'json'], kubeconfig ? { kubeconfig } : {})) as T;
}

interface ActionMapObject {
  status: {
    candidateMaps: string[];
    mergedMaps: string[];
    actionMap: { 'url-actions'?: { name: string; text?: string; 'text.nls'?: string }[] };
  };
}

interface Job {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    backoffLimit: number;
    template: {
      spec: {
        restartPolicy: string;
        serviceAccountName: string;
        securityContext: object;
        containers: { image: string; command: string[] }[];
      };
    };
  };
}

/**
 * `kubectl create -f -` of one object; the result (code, stdout, stderr). As dev-user without kubectl's
 * client-side validation, which lists CRDs first (dev-user may not); the server validates anyway.
 */
function create(object: object, args: string[] = [], kubeconfig?: string) {
  return kubectl(['create', '-f', '-', '-o', 'json', ...args, ...(kubeconfig ? ['--validate=false'] : [])], {
    input: object,
    ...(kubeconfig ? { kubeconfig } : {}),
  });
}

describe('prism actions on the real control plane', () => {
  let api: RunningPrismApi;
  let shop: string;
  let appsody: string;
  let closed: string;
  let role: string;
  const jobsOf = (user: string) =>
    kubectlOk(
      ['get', 'commands', '-o', 'jsonpath={.items[*].metadata.name}'],
      user === 'dev-user' ? developer() : {},
    );

  beforeAll(async () => {
    api = await startPrismApi();
    [shop, appsody, closed] = [
      await freshNamespace('shop'),
      await freshNamespace('appsody'),
      await freshNamespace('closed'),
    ];
    role = `prism-actions-${shop}`;
    await kubectlOk(['apply', '-f', '-'], {
      input: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `routes.${ROUTE_GROUP}` },
        spec: {
          group: ROUTE_GROUP,
          scope: 'Namespaced',
          names: { plural: 'routes', singular: 'route', kind: 'Route', listKind: 'RouteList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    });
    await kubectlOk(['wait', '--for=condition=Established', `crd/routes.${ROUTE_GROUP}`, '--timeout=60s']);
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        application('stock-trader', {
          namespace: shop,
          kinds: [
            { group: 'apps', kind: 'Deployment' },
            { group: 'core', kind: 'Service' },
          ],
          selector: { matchLabels: TRADER },
        }),
        withSubkind(deployment('trader', shop, TRADER), 'Liberty'),
        withSubkind(deployment('loyalty-level', shop, TRADER), 'Liberty'),
        withSubkind(deployment('myapp', shop, TRADER), 'liberty'),
        deployment('portfolio', shop, TRADER),
        deployment('unrelated', shop, { solution: 'something-else' }),
        service('trader', shop, TRADER),
        {
          apiVersion: `${ROUTE_GROUP}/v1`,
          kind: 'Route',
          metadata: { name: 'loyalty-level', namespace: shop },
          spec: { host: 'loyalty.apps.example.com' },
        },
        // kind-action-mapping.md: the appsody KindActionMapping of precedence 2 (its design rules name
        // extensions/v1beta1, which a current cluster no longer serves; the apps/v1 rules are the same).
        {
          apiVersion: 'actions.kappnav.io/v1',
          kind: 'KindActionMapping',
          metadata: { name: 'appsody', namespace: appsody },
          spec: {
            precedence: 2,
            mappings: ['extensions/v1beta1', 'apps/v1']
              .flatMap((apiVersion) => [
                {
                  apiVersion,
                  kind: 'Deployment',
                  subkind: 'Liberty',
                  mapname: 'appsody.actions.deployment-liberty',
                },
                { apiVersion, kind: 'Deployment', mapname: 'appsody.actions.deployment' },
              ])
              .concat([{ apiVersion: 'v1', kind: 'Service', mapname: 'appsody.actions.service' }]),
          },
        },
        // actions-config-maps.md merge example: kind map (the shipped kappnav.actions.deployment), the
        // liberty map with replace, the instance map of myapp.
        actionMap(
          'kappnav',
          'kappnav.actions.deployment-liberty',
          {
            'url-actions': [
              { name: 'config', text: 'Liberty config', 'url-pattern': 'http://config' },
              { name: 'logs', text: 'Liberty logs', 'url-pattern': 'http://liberty-logs' },
            ],
          },
          { 'kappnav.actions.on.conflict': 'replace' },
        ),
        actionMap(shop, `${shop}.actions.deployment-liberty.myapp`, {
          'url-actions': [
            { name: 'logs', text: 'myapp logs', 'url-pattern': 'http://myapp-logs' },
            { name: 'app', text: 'myapp app', 'url-pattern': 'http://myapp' },
          ],
        }),
        // tools/actdev/doc/loyalty_actions.yaml
        actionMap(shop, `${shop}.actions.deployment-liberty.loyalty-level`, {
          'url-actions': [{ name: 'loyalty', text: 'Loyalty', 'url-pattern': LOYALTY_PATTERN }],
          snippets: {
            get_route_host:
              'function getRouteHost(routeJson) { var route = JSON.parse(routeJson); return route.spec.host; }',
            spin: 'function spin() { while (true) {} }',
            hog: 'function hog() { var a = []; while (true) { a.push(new Array(100000).fill(1)); } }',
            fail: "function fail() { throw new Error('no route today'); }",
          },
        }),
        // Command actions: one of the application, one of the trader component with input and fan-out.
        actionMap(shop, `${shop}.actions.application.stock-trader`, {
          'cmd-actions': [
            {
              name: 'calculate-pi',
              text: 'Calculate PI',
              image: 'busybox',
              'cmd-pattern': 'sh -c "echo pi of ${resource.$.metadata.name}"',
            },
          ],
        }),
        actionMap(shop, `${shop}.actions.deployment-liberty.trader`, {
          'cmd-actions': [
            {
              name: 'enable-trace',
              text: 'Enable Trace',
              image: 'busybox',
              'requires-input': 'trace',
              'cmd-pattern': 'trace ${resource.$.metadata.name} ${input.spec} path:podName:string p1,p2',
            },
          ],
          inputs: {
            trace: {
              title: 'Trace',
              fields: {
                spec: { label: 'Spec', validator: 'check_spec' },
                level: { label: 'Level', optional: 'true', default: 'info' },
              },
            },
          },
          snippets: {
            check_spec:
              "function checkSpec(input) { var v = JSON.parse(input).value; return JSON.stringify(v.indexOf('=') > 0 ? { valid: true } : { valid: false, message: 'expected <name>=<level>' }); }",
          },
        }),
        // What an operator grants prismgate for a kind that action patterns read (kubectlGet of a Route):
        // a ClusterRole aggregated into prismgate-action-reader (manifests/deploy/rbac.yaml).
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: {
            name: `${role}-prismgate-reads-routes`,
            labels: { 'prismgate.kappnav.io/aggregate-to-action-reader': 'true' },
          },
          rules: [{ apiGroups: [ROUTE_GROUP], resources: ['routes'], verbs: ['get', 'list'] }],
        },
        // Who dev-user is here: may run commands in shop and see its applications and Deployments.
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: role },
          rules: [
            {
              apiGroups: ['prism.kappnav.io'],
              resources: ['commands'],
              verbs: ['get', 'list', 'watch', 'delete'],
            },
            { apiGroups: ['prism.kappnav.io'], resources: ['actionresolutions'], verbs: ['create'] },
            {
              apiGroups: ['prism.kappnav.io'],
              resources: ['kappnav/resource'],
              verbs: ['get', 'create', 'delete'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: role },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dev-user' }],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'command-runner', namespace: shop },
          rules: [
            { apiGroups: ['prism.kappnav.io'], resources: ['commandexecutions'], verbs: ['create'] },
            { apiGroups: ['app.k8s.io'], resources: ['applications'], verbs: ['get', 'list'] },
            { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'command-runner', namespace: shop },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'command-runner' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'dev-user' }],
        },
      ],
    });
    await eventually(
      'the components of stock-trader to be served',
      async () =>
        (await getJson<{ status: { componentCount: number } }>(['get', 'papp', 'stock-trader', '-n', shop]))
          .status.componentCount === 5,
      60_000,
    );
  });

  afterAll(async () => {
    await kubectl([
      'delete',
      'jobs',
      '-n',
      'kappnav',
      '-l',
      `kappnav-job-application-namespace=${shop}`,
      '--ignore-not-found',
    ]);
    await kubectl([
      'delete',
      'configmap',
      '-n',
      'kappnav',
      'kappnav.actions.deployment-liberty',
      'kappnav.actions.nls.fr',
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'clusterrolebinding,clusterrole', role, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrole', `${role}-prismgate-reads-routes`, '--ignore-not-found']);
    // dev-user's grants here must not outlive this file (others count what dev-user sees): the bindings
    // go now, the namespaces (with the appsody KindActionMapping) while the API is still served.
    await kubectl([
      'delete',
      'rolebinding',
      'command-runner',
      'route-reader',
      '-n',
      shop,
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'namespace', shop, appsody, closed, '--ignore-not-found']);
    await kubectl(['delete', 'crd', `routes.${ROUTE_GROUP}`, '--ignore-not-found']);
    await api?.stop();
  });

  describe('action maps', () => {
    it('gives the candidate lists of kind-action-mapping.md for a Liberty Deployment and a Service', async () => {
      const trader = await eventually('the appsody candidates of trader', async () => {
        const map = await getJson<ActionMapObject>(['get', 'amap', 'deployment.apps:trader', '-n', shop]);
        return map.status.candidateMaps.length === 5 ? map : undefined;
      });
      expect(trader.status.candidateMaps).toEqual([
        `${shop}.actions.deployment-liberty.trader@${shop}`,
        `appsody.actions.deployment-liberty@${appsody}`,
        'kappnav.actions.deployment-liberty@kappnav',
        `appsody.actions.deployment@${appsody}`,
        'kappnav.actions.deployment@kappnav',
      ]);
      const serviceMap = await getJson<ActionMapObject>(['get', 'amap', 'service:trader', '-n', shop]);
      expect(serviceMap.status.candidateMaps).toEqual([
        `${shop}.actions.service.trader@${shop}`,
        `appsody.actions.service@${appsody}`,
        'kappnav.actions.service@kappnav',
      ]);
      // The design's own example, literally (extensions/v1beta1), through the preview.
      const preview = await create({
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'MappingPreview',
        metadata: { name: 'trader' },
        spec: {
          resource: {
            apiVersion: 'extensions/v1beta1',
            kind: 'Deployment',
            name: 'trader',
            subkind: 'Liberty',
            namespace: 'stocktrader',
          },
        },
      });
      expect(preview.code, preview.stderr).toBe(0);
      expect(JSON.parse(preview.stdout).status.candidateMaps).toEqual([
        'stocktrader.actions.deployment-liberty.trader@stocktrader',
        `appsody.actions.deployment-liberty@${appsody}`,
        'kappnav.actions.deployment-liberty@kappnav',
        `appsody.actions.deployment@${appsody}`,
        'kappnav.actions.deployment@kappnav',
      ]);
    });

    it('merges as actions-config-maps.md shows: the replace map ends the merge, the instance map wins', async () => {
      const map = await getJson<ActionMapObject>(['get', 'amap', 'deployment.apps:myapp', '-n', shop]);
      expect(map.status.mergedMaps).toEqual([
        `${shop}.actions.deployment-liberty.myapp@${shop}`,
        'kappnav.actions.deployment-liberty@kappnav',
      ]);
      expect(map.status.actionMap['url-actions']!.map((a) => `${a.name}:${a.text}`)).toEqual([
        'logs:myapp logs',
        'app:myapp app',
        'config:Liberty config',
      ]);
      // The components view carries the same map, and a change of the map is served without a restart.
      const component = await getJson<{ status: ActionMapObject['status'] }>([
        'get',
        'pcomp',
        'stock-trader.deployment.apps.myapp',
        '-n',
        shop,
      ]);
      expect(component.status.actionMap).toEqual(map.status.actionMap);
      await kubectlOk(['apply', '-f', '-'], {
        input: actionMap(shop, `${shop}.actions.deployment-liberty.myapp`, {
          'url-actions': [{ name: 'logs', text: 'myapp logs v2', 'url-pattern': 'http://myapp-logs' }],
        }),
      });
      await eventually('the changed map to be served', async () => {
        const changed = await getJson<ActionMapObject>(['get', 'amap', 'deployment.apps:myapp', '-n', shop]);
        return (
          changed.status.actionMap['url-actions']!.map((a) => a.text).join() ===
          'myapp logs v2,Liberty config'
        );
      });
    });

    it('translates for ?locale= through the NLS maps: fr_CA → fr → en, !text! when untranslated, .nls keys kept', async () => {
      await kubectlOk(['apply', '-f', '-'], {
        input: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kappnav.actions.nls.fr', namespace: 'kappnav' },
          data: { 'action.url.deployment.detail.text': 'Voir le détail' },
        },
      });
      const path = `/apis/prism.kappnav.io/v1/namespaces/${shop}/actionmaps/deployment.apps:portfolio?locale=fr_CA`;
      const translated = await eventually('the French text', async () => {
        const map = JSON.parse(await kubectlOk(['get', '--raw', path])) as ActionMapObject;
        const detail = map.status.actionMap['url-actions']!.find((a) => a.name === 'detail');
        return detail?.text === 'Voir le détail' ? map : undefined;
      });
      const actions = translated.status.actionMap['url-actions']!;
      expect(actions.find((a) => a.name === 'detail')!['text.nls']).toBe('action.url.deployment.detail.text');
      // Not in fr: the en map answers.
      expect(actions.find((a) => a.name === 'replicas')!.text).toBe('View Replicas');
      // Without locale, nothing is translated.
      const plain = JSON.parse(
        await kubectlOk(['get', '--raw', path.replace('?locale=fr_CA', '')]),
      ) as ActionMapObject;
      expect(plain.status.actionMap['url-actions']!.find((a) => a.name === 'detail')!.text).toBe(
        'View Detail',
      );
      // A text without an NLS key is marked; the components view translates too.
      const component = JSON.parse(
        await kubectlOk([
          'get',
          '--raw',
          `/apis/prism.kappnav.io/v1/namespaces/${shop}/prismcomponents/stock-trader.deployment.apps.myapp?locale=fr`,
        ]),
      ) as { status: ActionMapObject['status'] };
      expect(component.status.actionMap['url-actions']!.map((a) => a.text)).toEqual([
        '!myapp logs v2!',
        '!Liberty config!',
      ]);
    });
  });

  describe('pattern resolution', () => {
    const resolution = (pattern: string, name = 'loyalty-level') => ({
      apiVersion: 'prism.kappnav.io/v1',
      kind: 'ActionResolution',
      metadata: { name: 'resolve' },
      spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: shop, name }, pattern },
    });

    it('resolves the loyalty example (a snippet over kubectlGet of a Route) to the Route host', async () => {
      const result = await eventually('the Route kind to be discovered', async () => {
        const out = await create(resolution(LOYALTY_PATTERN));
        return out.code === 0 ? out : undefined;
      });
      expect(JSON.parse(result.stdout).status.action).toBe('http://loyalty.apps.example.com');
    });

    it('checks what the user may read: 403 for a Route dev-user may not get, then the host', async () => {
      const denied = await create(resolution(LOYALTY_PATTERN), [], inject('developerKubeconfig'));
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('Forbidden');
      expect(denied.stderr).toContain(`cannot get resource "routes" in API group "${ROUTE_GROUP}"`);
      await kubectlOk(['apply', '-f', '-'], {
        input: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'route-reader', namespace: shop },
          rules: [{ apiGroups: [ROUTE_GROUP], resources: ['routes'], verbs: ['get'] }],
        },
      });
      await kubectlOk([
        'create',
        'rolebinding',
        'route-reader',
        '-n',
        shop,
        '--role=route-reader',
        '--user=dev-user',
      ]);
      const allowed = await eventually(
        'the permission to be seen (reviews are cached 10 s)',
        async () => {
          const out = await create(resolution(LOYALTY_PATTERN), [], inject('developerKubeconfig'));
          return out.code === 0 ? out : undefined;
        },
        30_000,
        1000,
      );
      expect(JSON.parse(allowed.stdout).status.action).toBe('http://loyalty.apps.example.com');
    });

    it.each([
      ['${noprefix}', '${noprefix}'],
      ['a$b', 'a$b is not a pattern'],
      ['${resource.$.spec.nohost}', 'cannot resolve $.spec.nohost'],
      ['${snippet.spin()}', 'timed out'],
      ['${snippet.hog()}', 'memory'],
      ['${snippet.fail()}', 'no route today'],
      ['${func.kubectlGet(pods,-o,wide)}', 'the output format "wide" is not supported'],
      ['${func.kubectlGet(pods,--watch)}', 'the flag --watch is not supported'],
    ])('refuses %s with 422 on spec.pattern naming the problem', async (pattern, message) => {
      const out = await create(resolution(pattern));
      expect(out.code).not.toBe(0);
      expect(out.stderr).toContain('The ActionResolution "resolve" is invalid: spec.pattern: ');
      expect(out.stderr).toContain(message);
    });
  });

  describe('command actions', () => {
    const execution = (spec: object) => ({
      apiVersion: 'prism.kappnav.io/v1',
      kind: 'CommandExecution',
      metadata: { generateName: 'run-' },
      spec,
    });
    const job = (name: string) => getJson<Job>(['get', 'job', name, '-n', 'kappnav']);
    let applicationJob: string;
    let componentJobs: string[];
    let adminJob: string;

    it('runs an application command as dev-user: one Job labelled and annotated as §5.1 says', async () => {
      const out = await create(
        execution({ application: 'stock-trader', action: 'calculate-pi' }),
        ['-n', shop],
        inject('developerKubeconfig'),
      );
      expect(out.code, out.stderr).toBe(0);
      const created = JSON.parse(out.stdout) as {
        status: { user: string; jobs: { name: string; namespace: string }[] };
      };
      expect(created.status.user).toBe('dev-user');
      expect(created.status.jobs).toHaveLength(1);
      applicationJob = created.status.jobs[0]!.name;
      const found = await job(applicationJob);
      expect(found.metadata.labels).toMatchObject({
        'kappnav-job-type': 'command',
        'kappnav-job-action-name': 'calculate-pi',
        'kappnav-job-application-name': 'stock-trader',
        'kappnav-job-application-namespace': shop,
        'kappnav-job-application-scope': 'true',
      });
      expect(found.metadata.annotations).toMatchObject({
        'kappnav-job-action-text': 'Calculate PI',
        'kappnav-job-user-id': 'dev-user',
      });
      expect(found.spec.backoffLimit).toBe(4);
      expect(found.spec.template.spec).toMatchObject({
        restartPolicy: 'Never',
        serviceAccountName: 'kappnav-sa',
        securityContext: { runAsNonRoot: true, runAsUser: 1001 },
      });
      expect(found.spec.template.spec.containers[0]).toMatchObject({
        image: 'busybox',
        command: ['sh', '-c', 'echo pi of stock-trader'],
      });
    });

    it('runs a component command with validated input, one Job per pod of path:podName:string', async () => {
      const out = await create(
        execution({
          application: 'stock-trader',
          component: { kind: 'Deployment', name: 'trader' },
          action: 'enable-trace',
          input: { spec: 'com.ibm=all' },
        }),
        ['-n', shop],
        inject('developerKubeconfig'),
      );
      expect(out.code, out.stderr).toBe(0);
      componentJobs = (JSON.parse(out.stdout) as { status: { jobs: { name: string }[] } }).status.jobs.map(
        (j) => j.name,
      );
      expect(componentJobs).toHaveLength(2);
      const jobs = await Promise.all(componentJobs.map(job));
      for (const found of jobs)
        expect(found.metadata.labels).toMatchObject({
          'kappnav-job-type': 'command',
          'kappnav-job-action-name': 'enable-trace',
          'kappnav-job-application-name': 'stock-trader',
          'kappnav-job-application-namespace': shop,
          'kappnav-job-component-kind': 'Deployment',
          'kappnav-job-component-sub-kind': 'liberty',
          'kappnav-job-component-name': 'trader',
          'kappnav-job-component-namespace': shop,
        });
      expect(jobs.map((j) => j.spec.template.spec.containers[0]!.command)).toEqual([
        ['trace', 'trader', 'com.ibm=all', 'path:podName:string', 'p1'],
        ['trace', 'trader', 'com.ibm=all', 'path:podName:string', 'p2'],
      ]);
    });

    it.each([
      [{ spec: 'nothing' }, 'spec.input.spec', 'The field is invalid. Reason: expected <name>=<level>'],
      [{ spec: 'a=b', nope: 'x' }, 'spec.input.nope', 'The field was specified but was not expected.'],
      [{ level: 'debug' }, 'spec.input.spec', 'A required field was not specified.'],
      [['spec', 'a=b'], 'spec.input', 'It is expected to be a map.'],
    ])('answers input %j with 422 Invalid on %s', async (input, field, message) => {
      const out = await create(
        execution({
          application: 'stock-trader',
          component: { kind: 'Deployment', name: 'trader' },
          action: 'enable-trace',
          input,
        }),
        ['-n', shop],
      );
      expect(out.code).not.toBe(0);
      expect(out.stderr).toContain(`is invalid: ${field}: `);
      expect(out.stderr).toContain(message);
    });

    it('refuses dev-user where it may not create commandexecutions, and components of other applications', async () => {
      await kubectlOk(['apply', '-f', '-'], {
        input: application('other', {
          namespace: closed,
          kinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: TRADER },
        }),
      });
      const denied = await create(
        execution({ application: 'other', action: 'calculate-pi' }),
        ['-n', closed],
        inject('developerKubeconfig'),
      );
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain('Forbidden');
      expect(denied.stderr).toContain('commandexecutions');
      const notMine = await create(
        execution({
          application: 'stock-trader',
          component: { kind: 'Deployment', name: 'unrelated' },
          action: 'enable-trace',
        }),
        ['-n', shop],
      );
      expect(notMine.code).not.toBe(0);
      expect(notMine.stderr).toContain('is invalid: spec.component: ');
      expect(notMine.stderr).toContain('is not a component of application');
    });

    it('lists the commands of the user only; an administrator sees all; filters by field and completion time', async () => {
      const admin = await create(execution({ application: 'stock-trader', action: 'calculate-pi' }), [
        '-n',
        shop,
      ]);
      expect(admin.code, admin.stderr).toBe(0);
      adminJob = (JSON.parse(admin.stdout) as { status: { jobs: { name: string }[] } }).status.jobs[0]!.name;
      const mine = await eventually('dev-user to see its three commands', async () => {
        const names = (await jobsOf('dev-user')).split(' ').filter(Boolean).sort();
        return names.length === 3 ? names : undefined;
      });
      expect(mine).toEqual([applicationJob, ...componentJobs].sort());
      const all = (await jobsOf('admin')).split(' ');
      expect(all).toEqual(expect.arrayContaining([applicationJob, ...componentJobs, adminJob]));
      const table = await kubectlOk(['get', 'commands'], developer());
      expect(table.split('\n')[0]!.split(/\s+/)).toEqual([
        'NAME',
        'ACTION',
        'APPLICATION',
        'COMPONENT',
        'USER',
        'STATUS',
        'AGE',
      ]);
      expect(table).toMatch(
        new RegExp(`${applicationJob}\\s+calculate-pi\\s+${shop}/stock-trader\\s+dev-user`),
      );
      const adminsOnly = await kubectlOk([
        'get',
        'commands',
        '--field-selector',
        'spec.user=prismgate-admin',
        '-o',
        'jsonpath={.items[*].metadata.name}',
      ]);
      expect(adminsOnly.split(' ')).toContain(adminJob);
      expect(adminsOnly).not.toContain(applicationJob);
      const command = await getJson<{
        spec: object;
        status: { actionMap: { 'url-actions': { name: string }[] } };
      }>(['get', 'command', applicationJob], inject('developerKubeconfig'));
      expect(command.spec).toMatchObject({
        action: 'calculate-pi',
        user: 'dev-user',
        application: { namespace: shop, name: 'stock-trader' },
      });
      expect(command.status.actionMap['url-actions'].map((a) => a.name)).toEqual(['detail', 'joblogs']);
      // Nothing has completed (there is no kubelet): a completion-time filter leaves all out.
      const completed = JSON.parse(
        await kubectlOk(
          ['get', '--raw', '/apis/prism.kappnav.io/v1/commands?completedAfter=2020-01-01T00:00:00.000Z'],
          developer(),
        ),
      ) as { items: unknown[] };
      expect(completed.items).toEqual([]);
      const malformed = await kubectl([
        'get',
        '--raw',
        '/apis/prism.kappnav.io/v1/commands?completedAfter=yesterday',
      ]);
      expect(malformed.stderr).toContain('The correct format is');
    });

    it("deletes dev-user's own command, not another user's", async () => {
      const other = await kubectl(['delete', 'command', adminJob], developer());
      expect(other.code).not.toBe(0);
      expect(other.stderr).toContain('Forbidden');
      await kubectlOk(['delete', 'command', componentJobs[1]!], developer());
      await eventually(
        'the Job to be gone',
        async () => (await kubectl(['get', 'job', componentJobs[1]!, '-n', 'kappnav'])).code !== 0,
      );
    });
  });

  describe("the seed's REST shapes through kubectl proxy", () => {
    const base = '/apis/prism.kappnav.io/v1/kappnav/api';

    it('resolves, executes, queries, tells the time and deletes as dev-user', async () => {
      const proxy = await startKubectlProxy(inject('developerKubeconfig'));
      try {
        const resolved = await proxy.get(
          `${base}/resource/loyalty-level/Deployment?namespace=${shop}&action-pattern=${encodeURIComponent(LOYALTY_PATTERN)}`,
        );
        expect(resolved).toEqual({ status: 200, body: { action: 'http://loyalty.apps.example.com' } });
        const unresolved = await proxy.get(
          `${base}/resource/loyalty-level/Deployment?namespace=${shop}&action-pattern=a%24b`,
        );
        expect(unresolved.status).toBe(207);
        expect((unresolved.body as { message: string }).message).toMatch(
          /^pattern-error: a\$b is not a pattern/,
        );

        const executed = await proxy.request(
          'POST',
          `${base}/resource/stock-trader/execute/command/calculate-pi?namespace=${shop}`,
        );
        expect(executed.status).toBe(200);
        const job = executed.body as Job & { kind: string };
        expect(job.kind).toBe('Job');
        expect(job.metadata.annotations['kappnav-job-user-id']).toBe('dev-user');
        const component = await proxy.request(
          'POST',
          `${base}/resource/stock-trader/trader/Deployment/execute/command/enable-trace?namespace=${shop}&application-namespace=${shop}`,
          '{"spec": "x"}',
        );
        expect(component).toEqual({
          status: 422,
          body: {
            message:
              'validation-error: The field is invalid. Reason: expected <name>=<level> on field name: spec',
          },
        });
        const malformed = await proxy.request(
          'POST',
          `${base}/resource/stock-trader/trader/Deployment/execute/command/enable-trace?namespace=${shop}&application-namespace=${shop}`,
          '{"spec": ',
        );
        expect(malformed.status).toBe(422);

        const query = await eventually('the new Job in the command list', async () => {
          const answer = await proxy.get(`${base}/resource/commands`);
          const body = answer.body as {
            commands: Job[];
            'action-map': { 'url-actions': { name: string }[] };
          };
          return body.commands.some((c) => c.metadata.name === job.metadata.name) ? body : undefined;
        });
        expect(
          query.commands.every((c) => c.metadata.annotations['kappnav-job-user-id'] === 'dev-user'),
        ).toBe(true);
        expect(query['action-map']['url-actions'].map((a) => a.name)).toEqual(['detail', 'joblogs']);
        const time = (await proxy.get(`${base}/resource/command-time`)).body as { time: string };
        expect(time.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
        expect(
          ((await proxy.get(`${base}/resource/commands?time=${time.time}`)).body as { commands: unknown[] })
            .commands,
        ).toEqual([]);

        expect(await proxy.request('DELETE', `${base}/resource/command/${job.metadata.name}`)).toEqual({
          status: 200,
          body: { message: 'OK' },
        });
        const gone = await proxy.request('DELETE', `${base}/resource/command/${job.metadata.name}`);
        expect(gone.status).toBe(207);
      } finally {
        proxy.stop();
      }
    });

    it('previews KindActionMapping candidates like /kindactionmapping', async () => {
      const proxy = await startKubectlProxy();
      try {
        const preview = await proxy.get(
          `${base}/kindactionmapping/Deployment?apiversion=apps/v1&name=myapp&subkind=liberty&namespace=${shop}`,
        );
        expect(preview.status).toBe(200);
        expect(preview.body).toMatchObject({
          'candidate-maps': [
            `${shop}.actions.deployment-liberty.myapp@${shop}`,
            `appsody.actions.deployment-liberty@${appsody}`,
            'kappnav.actions.deployment-liberty@kappnav',
            `appsody.actions.deployment@${appsody}`,
            'kappnav.actions.deployment@kappnav',
          ],
          map: { 'url-actions': [{ name: 'logs' }, { name: 'config' }] },
        });
        const invalidType = await proxy.get(`${base}/kindactionmapping/Deployment?type=nope`);
        expect(invalidType).toEqual({ status: 207, body: { message: 'Invalid configMap type: nope' } });
      } finally {
        proxy.stop();
      }
    });
  });
});
