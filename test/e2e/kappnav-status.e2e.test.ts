/**
 * kAppNav status on the real control plane (issue 5, kappnav-prism.md §7.1 TestOneApp, TestNestedApp,
 * TestAddResource, TestDeleteResource): status set as objects are applied, rolled up through nested
 * applications, kept current as Pods become ready or not, and a Deployment's change reaching its
 * top-level application within 3 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import {
  application,
  apply,
  deployment,
  expectApplications,
  expectValue,
  service,
  setHealth,
  storedStatus,
  withStatusFeature,
  WORKLOAD_KINDS,
} from './support/kappnav.ts';

withStatusFeature();

describe('one application (TestOneApp)', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await freshNamespace('kstatus-one');
    await apply(
      application('productpage-app', {
        namespace: ns,
        kinds: [...WORKLOAD_KINDS, { group: 'networking.k8s.io', kind: 'NetworkPolicy' }],
        selector: { matchLabels: { app: 'productpage' } },
      }),
      deployment('productpage-v1', ns, { app: 'productpage' }),
      service('productpage', ns, { app: 'productpage' }),
    );
  });

  it('stores the status of the application and its components as they are applied', async () => {
    // Created with no Pod ready: the Deployment is a Problem from its first status.
    await expectValue('deployments', ns, 'productpage-v1', 'Problem');
    const svc = await expectValue('services', ns, 'productpage', 'Normal');
    expect(svc).toEqual({
      value: 'Normal',
      flyover: 'Service exists.',
      nls: '["status.flyover.service"]',
    });
    await expectValue('applications', ns, 'productpage-app', 'Problem');
  });

  it('follows the Deployment through Normal, Warning, Problem and back (driven by Pod readiness)', async () => {
    for (const health of ['Normal', 'Warning', 'Problem', 'Warning', 'Normal'] as const) {
      await setHealth(ns, 'productpage-v1', health);
      await expectValue('applications', ns, 'productpage-app', health);
    }
    expect(await storedStatus('deployments', ns, 'productpage-v1')).toEqual({
      value: 'Normal',
      flyover: 'Desired: 2, Available: 2',
      nls: '["status.flyover.deployment","2","2"]',
    });
    expect((await storedStatus('applications', ns, 'productpage-app')).flyover).toBe(
      '2 components: 2 Normal',
    );
  });

  it('leaves resources that no application selects without status', async () => {
    await apply(service('unrelated', ns, { app: 'other' }));
    await expectValue('services', ns, 'productpage', 'Normal');
    expect(await storedStatus('services', ns, 'unrelated')).toEqual({});
  });

  it('writes nothing on a server-side dry run, and a user edit of other fields is kept', async () => {
    const dry = await kubectl([
      'label',
      'deployment',
      'productpage-v1',
      '-n',
      ns,
      'extra=yes',
      '--dry-run=server',
      '-o',
      'json',
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).metadata.annotations['kappnav.status.value']).toBe('Normal');
    expect(
      await kubectlOk(['get', 'deployment', 'productpage-v1', '-n', ns, '-o', 'jsonpath={.metadata.labels}']),
    ).not.toContain('extra');
    await kubectlOk(['annotate', 'application', 'productpage-app', '-n', ns, 'owner=team-a']);
    await setHealth(ns, 'productpage-v1', 'Warning');
    await expectValue('applications', ns, 'productpage-app', 'Warning');
    const annotations = JSON.parse(
      await kubectlOk([
        'get',
        'application',
        'productpage-app',
        '-n',
        ns,
        '-o',
        'jsonpath={.metadata.annotations}',
      ]),
    );
    expect(annotations.owner).toBe('team-a');
    await setHealth(ns, 'productpage-v1', 'Normal');
    await expectValue('applications', ns, 'productpage-app', 'Normal');
  });
});

describe('nested applications (TestNestedApp, TestAddResource, TestDeleteResource)', () => {
  let ns: string;
  const leaf = (name: string) =>
    application(`${name}-app`, {
      namespace: ns,
      labels: { app: name },
      kinds: WORKLOAD_KINDS,
      selector: { matchLabels: { app: name } },
    });
  const workload = (name: string, label: string) => [
    deployment(name, ns, { app: label }),
    service(name, ns, { app: label }),
  ];

  beforeAll(async () => {
    ns = await freshNamespace('kstatus-nested');
    await apply(
      application('bookinfo', {
        namespace: ns,
        labels: { app: 'bookinfo' },
        // Wrong groups, as kAppNav's test data writes them; CloudService is served nowhere and ignored.
        kinds: [
          { group: 'apps', kind: 'Application' },
          { group: 'apps', kind: 'CloudService' },
          { group: 'apps', kind: 'Ingress' },
        ],
        selector: {
          matchExpressions: [
            { key: 'app', operator: 'In', values: ['productpage', 'details', 'reviews', 'bookinfo'] },
          ],
        },
      }),
      leaf('productpage'),
      leaf('details'),
      leaf('reviews'),
      ...workload('productpage-v1', 'productpage'),
      ...workload('details-v1', 'details'),
      ...workload('reviews-v1', 'reviews'),
    );
    await Promise.all(
      ['productpage-v1', 'details-v1', 'reviews-v1'].map((name) => setHealth(ns, name, 'Normal')),
    );
  });

  it('rolls a leaf status up through the child application to the top', async () => {
    const normal = {
      bookinfo: 'Normal',
      'productpage-app': 'Normal',
      'details-app': 'Normal',
      'reviews-app': 'Normal',
    };
    await expectApplications(ns, normal);
    expect((await storedStatus('applications', ns, 'bookinfo')).flyover).toBe('3 components: 3 Normal');
    await setHealth(ns, 'details-v1', 'Warning');
    await expectApplications(ns, { ...normal, 'details-app': 'Warning', bookinfo: 'Warning' });
    expect((await storedStatus('applications', ns, 'bookinfo')).flyover).toBe(
      '3 components: 1 Warning, 2 Normal',
    );
    await setHealth(ns, 'details-v1', 'Normal');
    await expectApplications(ns, normal);
  });

  it('re-evaluates the ancestors of added and deleted components and child applications', async () => {
    await apply(deployment('reviews-v2', ns, { app: 'reviews' }));
    await expectApplications(ns, { 'reviews-app': 'Problem', bookinfo: 'Problem' });
    await setHealth(ns, 'reviews-v2', 'Warning');
    await expectApplications(ns, { 'reviews-app': 'Warning', bookinfo: 'Warning' });
    await kubectlOk(['delete', 'deployment', 'reviews-v2', '-n', ns]);
    await expectApplications(ns, { 'reviews-app': 'Normal', bookinfo: 'Normal' });

    await apply(leaf('ratings'), ...workload('ratings-v1', 'ratings'));
    await kubectlOk([
      'patch',
      'application',
      'bookinfo',
      '-n',
      ns,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'add', path: '/spec/selector/matchExpressions/0/values/-', value: 'ratings' }]),
    ]);
    await expectApplications(ns, { 'ratings-app': 'Problem', bookinfo: 'Problem' });
    await kubectlOk(['delete', 'application', 'ratings-app', '-n', ns]);
    await expectApplications(ns, { bookinfo: 'Normal' });
    expect((await storedStatus('applications', ns, 'bookinfo')).flyover).toBe('3 components: 3 Normal');
  });

  it("brings one Deployment's status change to the top-level application within 3 s", async () => {
    const delays: number[] = [];
    for (const health of ['Problem', 'Normal', 'Warning', 'Normal'] as const) {
      const started = performance.now();
      await setHealth(ns, 'productpage-v1', health);
      await expectValue('applications', ns, 'bookinfo', health, 3000);
      delays.push(performance.now() - started);
    }
    console.log(`Pod readiness → top-level application annotation, ms: ${delays.map(Math.round).join(', ')}`);
    expect(Math.max(...delays)).toBeLessThan(3000);
  });
});
