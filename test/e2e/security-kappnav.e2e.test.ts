/**
 * kAppNav against a hostile tenant (issue 15), on the real control plane: `dev-user` holds Kubernetes'
 * `edit` role in one namespace, `dev`, and nothing elsewhere (plus `edit` in `closed`, a namespace whose
 * administrator did not let prismgate run tenants' commands); `map-author` may write maps, Applications
 * and CommandExecutions in `dev` but create no Job or Pod anywhere; `prod-viewer` holds `view` in `prod`.
 *
 * Finding 2: a command a tenant's map defines runs only as the requesting user, in the map's namespace
 * (Kubernetes RBAC decides), never as kappnav-sa; only an administrator can mark a map trusted; a
 * substituted value is one argument; one request creates at most ten Jobs.
 * Finding 5: an Application may only span namespaces whose component kinds its author may list; Secrets
 * are cached without their data.
 * Finding 6: a get by name is authorized before anything is looked up: 403 whether the Secret exists or not.
 * Finding 12: namespaced variants of the create-only resources, which a RoleBinding grants in one namespace.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KappnavFeature } from '../../features/kappnav/feature.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { PRISMGATE_NAMESPACE, PRISMGATE_SERVICE_ACCOUNT } from '../control-plane/prismgate-identity.ts';
import { eventually, freshNamespace, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { application, deployment, installKappnav, KAPPNAV_NAMESPACE } from './support/kappnav.ts';
import { startPrismgate } from './support/prismgate.ts';

const PRISM = 'prism.kappnav.io/v1';
const TRUSTED = 'prism.kappnav.io/trusted-commands';
const COMPONENT_NAMESPACES = 'kappnav.component.namespaces';

const developer = () => inject('developerKubeconfig');
/** kubectl as dev-user (edit in dev and closed). */
const asDeveloper = (args: string[], input?: object) =>
  kubectl(args, { kubeconfig: developer(), ...(input ? { input } : {}) });
/** kubectl as another user, impersonated by the administrator (kube-apiserver sends the prism API that user). */
const asUser = (user: string, args: string[], input?: object) =>
  kubectl(['--as', user, ...args], input ? { input } : {});

/** `kubectl create -f -` of one object, without client-side validation (tenants may not list CRDs). */
const createArgs = (namespace?: string) => [
  'create',
  '-f',
  '-',
  '-o',
  'json',
  '--validate=false',
  ...(namespace ? ['-n', namespace] : []),
];

function actionMap(
  namespace: string,
  name: string,
  data: Record<string, unknown>,
  labels: Record<string, string> = {},
): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { 'kappnav.io/map-type': 'actions', ...labels } },
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)])),
  };
}

function execution(application: string, component: string, action: string, input?: object): object {
  return {
    apiVersion: PRISM,
    kind: 'CommandExecution',
    metadata: { generateName: 'run-' },
    spec: {
      application,
      component: { kind: 'Deployment', name: component },
      action,
      ...(input ? { input } : {}),
    },
  };
}

interface JobRef {
  namespace: string;
  name: string;
}

interface Job {
  metadata: { namespace: string; annotations?: Record<string, string> };
  spec: {
    template: {
      spec: { serviceAccountName?: string; containers: { image: string; command: string[] }[] };
    };
  };
}

const job = async ({ namespace, name }: JobRef) =>
  JSON.parse(await kubectlOk(['get', 'job', name, '-n', namespace, '-o', 'json'])) as Job;

/** Names of the command Jobs run for applications of `namespace`, wherever they are. */
async function commandJobsFor(namespace: string): Promise<string[]> {
  const out = await kubectlOk([
    'get',
    'jobs',
    '-A',
    '-l',
    `kappnav-job-application-namespace=${namespace}`,
    '-o',
    'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}',
  ]);
  return out.split('\n').filter(Boolean).sort();
}

describe('kAppNav and a namespace editor', () => {
  let prismgate: Prismgate;
  let dev: string;
  let closed: string;
  let prod: string;
  const clusterObjects: string[][] = [];

  beforeAll(async () => {
    await installKappnav();
    await kubectlOk([
      'apply',
      '--server-side',
      '-f',
      path.join(repoRoot, 'manifests', 'deploy', 'user-roles.yaml'),
    ]);
    const feature = new KappnavFeature();
    prismgate = await startPrismgate([feature], { apiServer: feature.prismApiServer() });
    [dev, closed, prod] = [
      await freshNamespace('dev'),
      await freshNamespace('closed'),
      await freshNamespace('prod'),
    ];
    const binding = (namespace: string, name: string, role: object, subject: object) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
      subjects: [subject],
    });
    const user = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name });
    const compatReader = `compat-reader-${prod}`;
    clusterObjects.push(['clusterrole', compatReader], ['clusterrolebinding', compatReader]);
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        binding(dev, 'dev-edit', { kind: 'ClusterRole', name: 'edit' }, user('dev-user')),
        binding(closed, 'dev-edit', { kind: 'ClusterRole', name: 'edit' }, user('dev-user')),
        binding(prod, 'prod-view', { kind: 'ClusterRole', name: 'view' }, user('prod-viewer')),
        // The administrator of dev lets prismgate run tenants' commands there, as the requesting user.
        binding(
          dev,
          'prismgate-untrusted-commands',
          { kind: 'ClusterRole', name: 'prismgate:untrusted-commands' },
          { kind: 'ServiceAccount', name: PRISMGATE_SERVICE_ACCOUNT, namespace: PRISMGATE_NAMESPACE },
        ),
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'map-author', namespace: dev },
          rules: [
            {
              apiGroups: [''],
              resources: ['configmaps'],
              verbs: ['get', 'list', 'create', 'update', 'patch'],
            },
            { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
            { apiGroups: ['app.k8s.io'], resources: ['applications'], verbs: ['get', 'list', 'create'] },
            { apiGroups: ['prism.kappnav.io'], resources: ['commandexecutions'], verbs: ['create'] },
          ],
        },
        binding(dev, 'map-author', { kind: 'Role', name: 'map-author' }, user('map-author')),
        // The seed's shapes are cluster-scoped paths: only a ClusterRoleBinding grants them.
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: compatReader },
          rules: [
            {
              apiGroups: ['prism.kappnav.io'],
              resources: ['kappnav/status', 'kappnav/resource', 'kappnav/components'],
              verbs: ['get'],
            },
          ],
        },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: compatReader },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: compatReader },
          subjects: [user('prod-viewer')],
        },
        deployment('web', dev, { app: 'shop' }),
        {
          ...(deployment('api', dev, { app: 'shop' }) as { metadata: object }),
          metadata: {
            name: 'api',
            namespace: dev,
            labels: { app: 'shop' },
            annotations: { note: 'x" "--privileged' },
          },
        },
        deployment('web', closed, { app: 'shop' }),
        application('shop', {
          namespace: dev,
          kinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { app: 'shop' } },
        }),
        application('shop', {
          namespace: closed,
          kinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { app: 'shop' } },
        }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db-password', namespace: prod, labels: { tier: 'secret' } },
          stringData: { password: 'correct horse battery staple' },
        },
        application('vault', {
          namespace: prod,
          kinds: [{ group: 'core', kind: 'Secret' }],
          selector: { matchLabels: { tier: 'secret' } },
        }),
      ],
    });
    await eventually(
      'the prism API to serve the applications',
      async () =>
        (await kubectl(['get', 'papp', 'shop', '-n', dev])).code === 0 &&
        (await kubectl(['get', 'papp', 'vault', '-n', prod])).code === 0,
      60_000,
    );
  });

  afterAll(async () => {
    for (const [kind, name] of clusterObjects) await kubectl(['delete', kind!, name!, '--ignore-not-found']);
    await prismgate?.stop();
    await kubectl(['delete', 'namespace', dev, closed, prod, '--wait=false', '--ignore-not-found']);
  });

  describe('command actions (finding 2)', () => {
    const ownImage = {
      name: 'own-image',
      text: 'Mine',
      image: 'registry.example/evil:1',
      'cmd-pattern': 'sh -c "cat /var/run/secrets/kubernetes.io/serviceaccount/token"',
    };

    it("runs a command a tenant's map defines only as the requesting user, in the map's namespace", async () => {
      for (const namespace of [dev, closed]) {
        const written = await asDeveloper(
          ['apply', '-f', '-'],
          actionMap(namespace, `${namespace}.actions.deployment.web`, { 'cmd-actions': [ownImage] }),
        );
        expect(written.code, written.stderr).toBe(0);
        await eventually(`the map of ${namespace} to be merged`, async () => {
          const out = await kubectl(['get', 'amap', 'deployment.apps:web', '-n', namespace, '-o', 'json']);
          return out.code === 0 && out.stdout.includes('own-image');
        });
      }

      // Who may create no Job gets none: the Job is created as that user, and RBAC says no.
      const refused = await asUser('map-author', createArgs(dev), execution('shop', 'web', 'own-image'));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('Forbidden');
      expect(refused.stderr).toContain('cannot create resource "jobs"');
      expect(await commandJobsFor(dev)).toEqual([]);

      // dev-user may create Jobs in dev: the command runs there, as dev-user could run it anyway.
      const ran = await asDeveloper(createArgs(dev), execution('shop', 'web', 'own-image'));
      expect(ran.code, ran.stderr).toBe(0);
      const refs = (JSON.parse(ran.stdout) as { status: { jobs: JobRef[] } }).status.jobs;
      expect(refs.map((r) => r.namespace)).toEqual([dev]);
      const created = await job(refs[0]!);
      expect(created.spec.template.spec.serviceAccountName).toBeUndefined();
      expect(created.spec.template.spec.containers[0]!.image).toBe(ownImage.image);
      expect(created.metadata.annotations?.['kappnav-job-user-id']).toBe('dev-user');
      expect(await commandJobsFor(dev)).toEqual([`${dev}/${refs[0]!.name}`]);
      await kubectlOk(['delete', 'job', refs[0]!.name, '-n', dev]);

      // Where the administrator did not let prismgate create Jobs as users, tenants' commands do not run.
      const elsewhere = await asDeveloper(createArgs(closed), execution('shop', 'web', 'own-image'));
      expect(elsewhere.code).not.toBe(0);
      expect(elsewhere.stderr).toContain('Forbidden');
      expect(await commandJobsFor(closed)).toEqual([]);
    });

    const trustedMap = () =>
      actionMap(
        dev,
        `${dev}.actions.deployment.api`,
        {
          'cmd-actions': [
            {
              name: 'echo',
              image: 'busybox',
              'requires-input': 'message',
              'cmd-pattern': "echo ${input.msg} ${resource.$.metadata.annotations['note']}",
            },
            {
              name: 'collect',
              image: 'busybox',
              'requires-input': 'pods',
              'cmd-pattern': 'collect path:podName:string ${input.pods}',
            },
          ],
          inputs: { message: { fields: { msg: {} } }, pods: { fields: { pods: {} } } },
        },
        { [TRUSTED]: 'true' },
      );

    it('lets only an administrator mark a map trusted, and keeps a trusted map as the administrator wrote it', async () => {
      const labelled = await asDeveloper([
        'label',
        'configmap',
        `${dev}.actions.deployment.web`,
        '-n',
        dev,
        `${TRUSTED}=true`,
      ]);
      expect(labelled.code).not.toBe(0);
      expect(labelled.stderr).toContain(TRUSTED);
      const created = await asDeveloper(['create', '-f', '-'], {
        ...(trustedMap() as { metadata: object }),
        metadata: {
          name: `${dev}.actions.deployment.other`,
          namespace: dev,
          labels: { [TRUSTED]: 'true' },
        },
      });
      expect(created.code).not.toBe(0);
      expect(created.stderr).toContain(TRUSTED);

      await kubectlOk(['apply', '-f', '-'], { input: trustedMap() });
      const changed = await asDeveloper([
        'patch',
        'configmap',
        `${dev}.actions.deployment.api`,
        '-n',
        dev,
        '--type=merge',
        '-p',
        JSON.stringify({ data: { 'cmd-actions': JSON.stringify([{ ...ownImage, name: 'echo' }]) } }),
      ]);
      expect(changed.code).not.toBe(0);
      expect(changed.stderr).toContain(TRUSTED);
    });

    it('runs a trusted command as kappnav-sa, each substituted value one argument', async () => {
      await kubectlOk(['apply', '-f', '-'], { input: trustedMap() });
      const input = { msg: 'a" "--rm" "-rf /' };
      const out = await eventually('the trusted map to be merged', async () => {
        const result = await asDeveloper(createArgs(dev), execution('shop', 'api', 'echo', input));
        return result.code === 0 ? result : undefined;
      });
      const refs = (JSON.parse(out.stdout) as { status: { jobs: JobRef[] } }).status.jobs;
      expect(refs.map((r) => r.namespace)).toEqual([KAPPNAV_NAMESPACE]);
      const created = await job(refs[0]!);
      expect(created.spec.template.spec.serviceAccountName).toBe('kappnav-sa');
      expect(created.spec.template.spec.containers[0]!.command).toEqual([
        'echo',
        'a" "--rm" "-rf /',
        'x" "--privileged',
      ]);
    });

    it('creates at most ten Jobs for one request, one per valid pod name', async () => {
      await kubectlOk(['apply', '-f', '-'], { input: trustedMap() });
      const pods = Array.from({ length: 25 }, (_, i) => `pod-${i}`).join(',');
      const tooMany = await asDeveloper(createArgs(dev), execution('shop', 'api', 'collect', { pods }));
      expect(tooMany.code).not.toBe(0);
      expect(tooMany.stderr).toContain('is invalid: spec.input: ');
      expect(tooMany.stderr).toContain('25 Jobs');
      const injected = await asDeveloper(
        createArgs(dev),
        execution('shop', 'api', 'collect', { pods: 'pod-1,--rm' }),
      );
      expect(injected.code).not.toBe(0);
      expect(injected.stderr).toContain('"--rm"');
      // The most one request may create: ten Jobs, created one after the other.
      const before = (await commandJobsFor(dev)).length;
      const ten = Array.from({ length: 10 }, (_, i) => `pod-${i}`).join(',');
      const started = performance.now();
      const most = await asDeveloper(createArgs(dev), execution('shop', 'api', 'collect', { pods: ten }));
      console.log(
        `a request of ten Jobs took ${Math.round(performance.now() - started)} ms (kubectl included)`,
      );
      expect(most.code, most.stderr).toBe(0);
      expect((await commandJobsFor(dev)).length).toBe(before + 10);
    });
  });

  describe('Applications across namespaces (finding 5)', () => {
    it('refuses an Application whose author may not list its component kinds where it would count them', async () => {
      const spanning = application('peek', {
        namespace: dev,
        annotations: { [COMPONENT_NAMESPACES]: prod },
        kinds: [{ group: 'core', kind: 'Secret' }],
        selector: { matchLabels: { tier: 'secret' } },
      });
      const refused = await asDeveloper(['create', '-f', '-', '--validate=false'], spanning);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`metadata.annotations[${COMPONENT_NAMESPACES}]`);
      expect(refused.stderr).toContain(`"${prod}"`);
      expect(refused.stderr).toContain('secrets');
      expect((await kubectl(['get', 'application', 'peek', '-n', dev])).code).not.toBe(0);

      // What dev-user may list, it may count: Secrets of dev.
      const own = await asDeveloper(
        ['create', '-f', '-', '--validate=false'],
        application('own', {
          namespace: dev,
          kinds: [{ group: 'core', kind: 'Secret' }],
          selector: { matchLabels: { tier: 'secret' } },
        }),
      );
      expect(own.code, own.stderr).toBe(0);
    });

    it('keeps no Secret data for the status of an Application naming Secrets', async () => {
      const status = await eventually('vault to show its Secret', async () => {
        const out = JSON.parse(await kubectlOk(['get', 'papp', 'vault', '-n', prod, '-o', 'json'])) as {
          status: { componentCount: number; value: string };
        };
        return out.status.componentCount === 1 ? out.status : undefined;
      });
      expect(status.value).toBe('Normal');
      const secrets = prismgate.services.caches
        .all()
        .filter((c) => c.type.resource === 'secrets')
        .flatMap((c) => c.list())
        .filter((s) => s.metadata?.namespace === prod);
      expect(secrets.length).toBeGreaterThan(0);
      const cached = JSON.stringify(secrets);
      expect(cached).toContain('db-password');
      expect(cached).not.toContain(Buffer.from('correct horse battery staple').toString('base64'));
      expect(cached).not.toContain('"data"');
    });
  });

  describe('gets by name (finding 6)', () => {
    const viewer = (args: string[]) => asUser('prod-viewer', args);

    it.each([
      ['resourcestatuses', 'secret:db-password', 'secret:no-such-secret'],
      ['actionmaps', 'secret:db-password', 'secret:no-such-secret'],
      ['prismcomponents', 'vault.secret.db-password', 'vault.secret.no-such-secret'],
    ])(
      'answers %s 403 for a Secret a viewer may not get, whether it exists or not',
      async (resource, existing, missing) => {
        // The administrator sees the difference the viewer must not.
        await eventually(`${resource} ${existing} to be served`, async () => {
          return (await kubectl(['get', resource, existing, '-n', prod])).code === 0;
        });
        const absent = await kubectl(['get', resource, missing, '-n', prod]);
        expect(absent.stderr).toContain('NotFound');
        for (const name of [existing, missing]) {
          const out = await viewer(['get', resource, name, '-n', prod]);
          expect(out.code).not.toBe(0);
          expect(out.stderr).toContain('Forbidden');
        }
      },
    );

    it("answers the seed's status shape 403 the same way", async () => {
      for (const name of ['db-password', 'no-such-secret']) {
        const out = await viewer([
          'get',
          '--raw',
          `/apis/prism.kappnav.io/v1/kappnav/api/status/${name}/Secret?namespace=${prod}`,
        ]);
        expect(out.code).not.toBe(0);
        expect(out.stderr).toContain('Forbidden');
      }
    });
  });

  describe('namespaced prism verbs (finding 12)', () => {
    const resolution = (kind: string, namespace?: string) => ({
      apiVersion: PRISM,
      kind,
      metadata: { name: 'resolve' },
      spec: {
        resource: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          ...(namespace ? { namespace } : {}),
        },
        pattern: '${resource.$.metadata.namespace}/${resource.$.metadata.name}',
      },
    });

    it('lets a RoleBinding of edit in dev grant resolving, previews and lifecycle events in dev, and nowhere else', async () => {
      const canI = async (verb: string, resource: string, namespace?: string) =>
        (
          await asDeveloper(['auth', 'can-i', verb, resource, ...(namespace ? ['-n', namespace] : [])])
        ).stdout.trim();
      for (const resource of [
        'localactionresolutions.prism.kappnav.io',
        'localmappingpreviews.prism.kappnav.io',
        'locallifecycleevents.prism.kappnav.io',
      ]) {
        expect(await canI('create', resource, dev)).toBe('yes');
        expect(await canI('create', resource, prod)).toBe('no');
      }

      const resolved = await asDeveloper(createArgs(dev), resolution('LocalActionResolution'));
      expect(resolved.code, resolved.stderr).toBe(0);
      expect(JSON.parse(resolved.stdout).status.action).toBe(`${dev}/web`);
      const outside = await asDeveloper(createArgs(dev), resolution('LocalActionResolution', prod));
      expect(outside.code).not.toBe(0);
      expect(outside.stderr).toContain(`spec.resource.namespace: Invalid value: "${prod}"`);
      const elsewhere = await asDeveloper(createArgs(prod), resolution('LocalActionResolution'));
      expect(elsewhere.stderr).toContain('Forbidden');
      const clusterWide = await asDeveloper(createArgs(), resolution('ActionResolution', dev));
      expect(clusterWide.stderr).toContain('Forbidden');

      const preview = await asDeveloper(createArgs(dev), {
        apiVersion: PRISM,
        kind: 'LocalMappingPreview',
        metadata: { name: 'preview' },
        spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
      });
      expect(preview.code, preview.stderr).toBe(0);
      expect(JSON.parse(preview.stdout).status.candidateMaps).toContain(
        `${dev}.actions.deployment.web@${dev}`,
      );
      const event = await asDeveloper(createArgs(dev), {
        apiVersion: PRISM,
        kind: 'LocalLifecycleEvent',
        metadata: { name: 'event' },
        spec: { type: 'Updated', resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
      });
      expect(event.code, event.stderr).toBe(0);
      expect(JSON.parse(event.stdout).status.statuses[0]).toMatchObject({ namespace: dev, name: 'web' });
    });
  });
});
