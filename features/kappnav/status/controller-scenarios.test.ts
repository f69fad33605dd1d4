/**
 * kAppNav's controller scenarios (kappnav-prism.md §7.1, kappnav/controller main_test.go and test_data),
 * replayed through the interfaces a reconciler uses: informer-style changes go into a cluster view,
 * `ApplicationGraph.affectedBy` says what to recompute, `ApplicationStatusBatch` computes it and the
 * annotation change is written back. Statuses come from the objects' `.status` through the shipped status
 * maps, plus two maps these tests register as a user would: Services report `status.health` (so a test
 * can give one any value, "Red Alert" included) and Nodes report their Ready condition.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { keyOf } from '../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import type { Application } from '../model/application.ts';
import type { KappnavConfig } from '../model/config.ts';
import { readKappnavConfig } from '../model/config.ts';
import type { ObjectChange } from '../model/application-graph.ts';
import { ApplicationGraph } from '../model/application-graph.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { ApplicationStatusBatch } from './application-status.ts';
import { ComponentStatusEngine } from './component-status.ts';
import type { KappnavStatus } from './kappnav-status.ts';
import {
  applyAnnotationChange,
  STATUS_VALUE_ANNOTATION,
  statusAnnotationChange,
} from './status-annotations.ts';
import { DesignNameStatusMapLocator } from '../kam/status-map-locator.ts';
import type { Health } from '../../../test/support/kappnav/status-fixtures.ts';
import {
  application,
  deployment,
  ingress,
  node,
  service,
  shippedStatusMaps,
  TEST_TYPES,
} from '../../../test/support/kappnav/status-fixtures.ts';

const sandbox = new ScriptSandbox({ workers: 2 });
afterAll(() => sandbox.close());

/** test_data/kappnav-config.json, and the ns_list / ns_nolist variants. */
const PRECEDENCE = '["Red Alert", "Problem", "Warning", "Unknown", "Normal"]';
const CONFIG = { 'app-status-precedence': PRECEDENCE, 'status-unknown': 'Unknown' };
const NS_LIST_CONFIG = { ...CONFIG, 'app-namespaces': 'ns1, ns2' };
const NS_NOLIST_CONFIG = { ...CONFIG, 'app-namespaces': '' };

function testMap(kind: string, script: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `kappnav.status-mapping.${kind}`, namespace: 'kappnav' },
    data: { algorithm: script },
  };
}

const TEST_MAPS = [
  testMap(
    'service',
    'function getStatus(s) { var st = s ? JSON.parse(s) : {}; return { value: st.health || "Normal", flyover: "health" }; }',
  ),
  testMap(
    'node',
    `function getStatus(s) {
       var ready = ((s ? JSON.parse(s) : {}).conditions || []).filter(function (c) { return c.type === 'Ready'; })[0];
       var state = ready ? ready.status : 'Unknown';
       return { value: state === 'True' ? 'Normal' : state === 'False' ? 'Problem' : 'Warning', flyover: 'Ready: ' + state };
     }`,
  ),
];

/**
 * A reconciler over a MemoryCluster: changes are queued as an informer would deliver them, and
 * `reconcile()` runs one batch, writing annotations back into the cluster.
 */
class Reconciler {
  readonly cluster = new MemoryCluster(TEST_TYPES, [...shippedStatusMaps(), ...TEST_MAPS]);
  readonly problems = new Set<string>();
  private readonly config: KappnavConfig;
  private readonly engine: ComponentStatusEngine;
  private changes: ObjectChange[] = [];

  constructor(objects: KubeObject[], configData: Record<string, string> = CONFIG) {
    this.config = readKappnavConfig(configData).config;
    this.engine = new ComponentStatusEngine(new DesignNameStatusMapLocator(this.cluster), {
      sandbox,
      config: this.config,
    });
    this.apply(...objects);
  }

  /** Adds or updates objects (replacing the one of the same name). */
  apply(...objects: KubeObject[]): this {
    for (const object of objects) this.changes.push({ old: this.cluster.put(object), new: object });
    return this;
  }

  delete(...objects: KubeObject[]): this {
    for (const object of objects) this.changes.push({ old: this.cluster.remove(object) });
    return this;
  }

  async reconcile(): Promise<void> {
    const graph = new ApplicationGraph(this.cluster, this.cluster, this.config);
    const applications = new Map<string, Application>();
    const resources = new Set<KubeObject>();
    for (const change of this.changes) {
      const affected = graph.affectedBy(change);
      for (const a of affected.applications) applications.set(keyOf(a.object), a);
      affected.resources.forEach((r) => resources.add(r));
    }
    this.changes = [];
    // Like a batch store that keeps keys: the applications are read again by name when the batch runs.
    const current = [...applications.values()].flatMap(
      (a) => graph.applicationNamed(a.namespace, a.name) ?? [],
    );
    const batch = new ApplicationStatusBatch({
      graph,
      config: this.config,
      componentStatus: (r) => this.engine.statusOf(r),
    });
    for (const { application: a, status } of await batch.statusesOf(current)) this.write(a.object, status);
    for (const resource of resources)
      if (graph.carriesStatus(resource)) this.write(resource, (await batch.componentStatus(resource)).status);
    batch.problems.forEach((p) => this.problems.add(p));
  }

  private write(object: KubeObject, status: KappnavStatus): void {
    const annotations = object.metadata?.annotations;
    const change = statusAnnotationChange(annotations, status);
    if (!change) return;
    this.cluster.put({
      ...object,
      metadata: { ...object.metadata, annotations: applyAnnotationChange(annotations, change) },
    });
  }

  /** `kappnav.status.value` of every object that carries it, by `<Kind>/<namespace>/<name>`. */
  statuses(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const type of TEST_TYPES)
      for (const object of this.cluster.list(type)) {
        const value = object.metadata?.annotations?.[STATUS_VALUE_ANNOTATION];
        if (value !== undefined) result[`${object.kind}/${keyOf(object)}`] = value;
      }
    return result;
  }

  flyover(kind: string, namespace: string, name: string): string | undefined {
    const object = this.cluster
      .list(
        TEST_TYPES.find((t) => t.kind === kind)!,
        namespace,
      )
      .find((o) => o.metadata?.name === name);
    return object?.metadata?.annotations?.['kappnav.status.flyover'];
  }

  /** The status values of applications, by name. */
  applications(): Record<string, string | undefined> {
    return Object.fromEntries(
      this.cluster
        .applications()
        .map((a) => [a.metadata?.name ?? '', a.metadata?.annotations?.[STATUS_VALUE_ANNOTATION]]),
    );
  }
}

// The bookinfo family of test_data, as in-memory objects.
const LEAF_KINDS = [
  { group: 'core', kind: 'Service' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
];
const app = (value: string) => ({ app: value });
const selectApps = (...values: string[]) => ({ matchExpressions: [{ key: 'app', operator: 'In', values }] });

function leafApp(name: string, label: string): KubeObject {
  return application(name, { labels: app(label), kinds: LEAF_KINDS, selector: { matchLabels: app(label) } });
}

const bookinfoApp = application('bookinfo', {
  labels: app('bookinfo'),
  // Wrong groups on purpose, as in test_data/bookinfo.json; CloudService exists nowhere and is ignored.
  kinds: [
    { group: 'apps', kind: 'Application' },
    { group: 'apps', kind: 'NetworkPolicy' },
    { group: 'apps', kind: 'CloudService' },
    { group: 'apps', kind: 'Ingress' },
  ],
  selector: selectApps('productpage', 'details', 'ratings', 'reviews', 'bookinfo'),
});
const productpageApp = leafApp('productpage-app', 'productpage');
const detailsApp = leafApp('details-app', 'details');
const ratingsApp = leafApp('ratings-app', 'ratings');
const reviewsApp = leafApp('reviews-app', 'reviews');

const labelled = (label: string) => ({ labels: app(label) });
const productpageV1 = (h: Health = 'Normal') => deployment('productpage-v1', h, labelled('productpage'));
const detailsV1 = (h: Health = 'Normal') => deployment('details-v1', h, labelled('details'));
const ratingsV1 = (h: Health = 'Normal') => deployment('ratings-v1', h, labelled('ratings'));
const reviewsV = (version: number, h: Health = 'Normal') =>
  deployment(`reviews-v${version}`, h, labelled('reviews'));
const healthService = (name: string, health = 'Normal') =>
  service(name, { labels: app(name), status: { health } });
const gateway = ingress('gateway', labelled('bookinfo'));
const egress = (name: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'default', labels: app('bookinfo') },
});

const bookinfoTree = (): KubeObject[] => [
  bookinfoApp,
  productpageApp,
  detailsApp,
  ratingsApp,
  reviewsApp,
  detailsV1(),
  productpageV1(),
  ratingsV1(),
  reviewsV(1),
  reviewsV(2),
  reviewsV(3),
  gateway,
  egress('productpage-egress'),
  egress('reviews-egress'),
  ...['details', 'productpage', 'ratings', 'reviews'].map((name) => healthService(name)),
];

/** The bookinfo applications when every component is Normal. */
const BOOKINFO_NORMAL = {
  bookinfo: 'Normal',
  'productpage-app': 'Normal',
  'details-app': 'Normal',
  'ratings-app': 'Normal',
  'reviews-app': 'Normal',
};

async function expectApplications(reconciler: Reconciler, expected: Record<string, string | undefined>) {
  await reconciler.reconcile();
  expect(reconciler.applications()).toEqual(expected);
}

describe('kAppNav controller scenarios (kappnav-prism.md §7.1)', () => {
  it('TestOneApp: the application is the worst of its deployment and service', async () => {
    const r = new Reconciler([
      productpageApp,
      egress('productpage-egress'),
      productpageV1(),
      healthService('productpage'),
    ]);
    await expectApplications(r, { 'productpage-app': 'Normal' });
    expect(r.statuses()).toEqual({
      'Application/default/productpage-app': 'Normal',
      'Deployment/default/productpage-v1': 'Normal',
      'Service/default/productpage': 'Normal',
    });
    await expectApplications(r.apply(productpageV1('Warning')), { 'productpage-app': 'Warning' });
    await expectApplications(r.apply(healthService('productpage', 'Problem')), {
      'productpage-app': 'Problem',
    });
    await expectApplications(r.apply(healthService('productpage', 'Warning')), {
      'productpage-app': 'Warning',
    });
    await expectApplications(r.apply(productpageV1(), healthService('productpage')), {
      'productpage-app': 'Normal',
    });
  });

  it('TestNestedApp: a leaf status propagates through nested applications; CloudService is ignored', async () => {
    const r = new Reconciler(bookinfoTree());
    const normal = BOOKINFO_NORMAL;
    await expectApplications(r, normal);
    // Ingress and NetworkPolicy, written with the wrong group, are components of bookinfo.
    expect(r.statuses()).toMatchObject({
      'Ingress/default/gateway': 'Normal',
      'NetworkPolicy/default/productpage-egress': 'Normal',
    });
    expect(r.problems).toContain(
      'application default/bookinfo: componentKinds[2] apps/CloudService is not served by the cluster; it is ignored',
    );
    // Four child applications, the gateway and two network policies; bookinfo selects itself too, but not as a component.
    expect(r.flyover('Application', 'default', 'bookinfo')).toBe('7 components: 7 Normal');
    await expectApplications(r.apply(healthService('details', 'Red Alert')), {
      ...normal,
      'details-app': 'Red Alert',
      bookinfo: 'Red Alert',
    });
    expect(r.flyover('Application', 'default', 'bookinfo')).toBe('7 components: 1 Red Alert, 6 Normal');
    await expectApplications(r.apply(healthService('details'), detailsV1('Warning')), {
      ...normal,
      'details-app': 'Warning',
      bookinfo: 'Warning',
    });
    await expectApplications(r.apply(detailsV1()), normal);
  });

  it('TestAddResource: new components and new child applications make their ancestors re-evaluate', async () => {
    const r = new Reconciler(
      bookinfoTree().filter(
        (o) => !['reviews-v3', 'ratings-app', 'ratings-v1', 'ratings'].includes(o.metadata?.name ?? ''),
      ),
    );
    const { 'ratings-app': _added, ...normal } = BOOKINFO_NORMAL;
    await expectApplications(r, normal);
    await expectApplications(r.apply(reviewsV(3, 'Warning')), {
      ...normal,
      'reviews-app': 'Warning',
      bookinfo: 'Warning',
    });
    await expectApplications(r.apply(reviewsV(3)), normal);
    await expectApplications(r.apply(ratingsApp, ratingsV1('Warning'), healthService('ratings')), {
      ...normal,
      'ratings-app': 'Warning',
      bookinfo: 'Warning',
    });
    await expectApplications(r.apply(ratingsV1()), { ...normal, 'ratings-app': 'Normal' });
  });

  it('TestDeleteResource: deleting components and child applications lowers the severity', async () => {
    const tree = bookinfoTree().map((o) =>
      o.metadata?.name === 'reviews-v2'
        ? reviewsV(2, 'Warning')
        : o.metadata?.name === 'reviews-v3'
          ? reviewsV(3, 'Problem')
          : o,
    );
    const r = new Reconciler(tree);
    const normal = BOOKINFO_NORMAL;
    await expectApplications(r, { ...normal, 'reviews-app': 'Problem', bookinfo: 'Problem' });
    await expectApplications(r.delete(reviewsV(3)), {
      ...normal,
      'reviews-app': 'Warning',
      bookinfo: 'Warning',
    });
    await expectApplications(r.delete(reviewsV(2)), normal);
    await expectApplications(r.apply(reviewsV(1, 'Warning')), {
      ...normal,
      'reviews-app': 'Warning',
      bookinfo: 'Warning',
    });
    const { 'reviews-app': _gone, ...rest } = normal;
    await expectApplications(r.delete(reviewsApp), rest);
  });

  const loopApp = (name: string, ...members: string[]) =>
    application(name, {
      labels: app(name),
      kinds: [{ group: 'apps', kind: 'Application' }],
      selector: selectApps(...members),
    });

  it('TestLoop2: two applications that contain each other converge to the worst of their leaves', async () => {
    const r = new Reconciler([
      detailsApp,
      ratingsApp,
      detailsV1(),
      ratingsV1(),
      healthService('details'),
      healthService('ratings'),
      loopApp('loop2A', 'details', 'loop2B'),
      loopApp('loop2B', 'ratings', 'loop2A'),
    ]);
    const all = (loops: string, details: string, ratings: string) => ({
      'details-app': details,
      'ratings-app': ratings,
      loop2A: loops,
      loop2B: loops,
    });
    await expectApplications(r, all('Normal', 'Normal', 'Normal'));
    await expectApplications(r.apply(detailsV1('Warning')), all('Warning', 'Warning', 'Normal'));
    await expectApplications(r.apply(ratingsV1('Problem')), all('Problem', 'Warning', 'Problem'));
    await expectApplications(r.apply(ratingsV1('Warning')), all('Warning', 'Warning', 'Warning'));
    await expectApplications(r.apply(detailsV1()), all('Warning', 'Normal', 'Warning'));
    await expectApplications(r.apply(ratingsV1()), all('Normal', 'Normal', 'Normal'));
  });

  it('TestLoop4: three overlapping cycles over the bookinfo tree all converge', async () => {
    const r = new Reconciler([
      ...bookinfoTree(),
      loopApp('loop4A', 'details', 'loop4B'),
      loopApp('loop4B', 'ratings', 'loop4C'),
      loopApp('loop4C', 'productpage', 'loop4A', 'loop4D'),
      loopApp('loop4D', 'reviews', 'loop4A', 'loop4B'),
    ]);
    const state = (loops: string, apps: { productpage?: string; reviews?: string; ratings?: string }) => ({
      bookinfo: loops,
      'productpage-app': apps.productpage ?? 'Normal',
      'details-app': 'Normal',
      'ratings-app': apps.ratings ?? 'Normal',
      'reviews-app': apps.reviews ?? 'Normal',
      loop4A: loops,
      loop4B: loops,
      loop4C: loops,
      loop4D: loops,
    });
    await expectApplications(r, state('Normal', {}));
    await expectApplications(r.apply(productpageV1('Warning')), state('Warning', { productpage: 'Warning' }));
    await expectApplications(
      r.apply(reviewsV(1, 'Warning')),
      state('Warning', { productpage: 'Warning', reviews: 'Warning' }),
    );
    await expectApplications(
      r.apply(reviewsV(1, 'Problem')),
      state('Problem', { productpage: 'Warning', reviews: 'Problem' }),
    );
    await expectApplications(
      r.apply(ratingsV1('Warning')),
      state('Problem', { productpage: 'Warning', reviews: 'Problem', ratings: 'Warning' }),
    );
    await expectApplications(
      r.apply(reviewsV(1, 'Warning')),
      state('Warning', { productpage: 'Warning', reviews: 'Warning', ratings: 'Warning' }),
    );
    await expectApplications(
      r.apply(productpageV1()),
      state('Warning', { reviews: 'Warning', ratings: 'Warning' }),
    );
    await expectApplications(r.apply(reviewsV(1)), state('Warning', { ratings: 'Warning' }));
    await expectApplications(r.apply(ratingsV1()), state('Normal', {}));
  });

  it('TestChangeSpec: label and selector changes move membership; an empty selection is Unknown upwards', async () => {
    const exists = (key: string) => ({ key, operator: 'Exists' });
    const parentKinds = [
      { group: 'apps', kind: 'Application' },
      { group: 'services', kind: 'Service' },
    ];
    const deploymentKinds = [{ group: 'deployments', kind: 'Deployment' }];
    const abApp = (labels: Record<string, string>, selector: unknown) =>
      application('AB-App', { labels, kinds: deploymentKinds, selector });
    const flags = (...keys: string[]) => ({ labels: Object.fromEntries(keys.map((k) => [k, 'true'])) });
    const abc = (h: Health, ...keys: string[]) => deployment('ABC-deployment', h, flags(...keys));
    const AB = abApp(
      { A: 'true', B: 'true' },
      { matchLabels: { A: 'true' }, matchExpressions: [exists('B')] },
    );
    const r = new Reconciler([
      application('A-App', {
        labels: app('A'),
        kinds: parentKinds,
        selector: { matchExpressions: [exists('A')] },
      }),
      application('B-App', {
        labels: app('B'),
        kinds: parentKinds,
        selector: { matchExpressions: [exists('B')] },
      }),
      AB,
      application('C-App', {
        labels: app('C'),
        kinds: deploymentKinds,
        selector: { matchExpressions: [exists('C')] },
      }),
      deployment('AB-deployment', 'Normal', flags('A', 'B')),
      abc('Normal', 'A', 'B', 'C'),
      deployment('C-deployment', 'Normal', flags('C')),
      service('A-service', flags('A')),
      service('B-service', flags('B')),
    ]);
    const apps = (a: string, b: string, ab: string, c: string) => ({
      'A-App': a,
      'B-App': b,
      'AB-App': ab,
      'C-App': c,
    });
    await expectApplications(r, apps('Normal', 'Normal', 'Normal', 'Normal'));
    await expectApplications(
      r.apply(abc('Problem', 'A', 'B', 'C')),
      apps('Problem', 'Problem', 'Problem', 'Problem'),
    );
    // ABC-deployment loses label B: only C-App still contains it; the old version's ancestors recompute.
    await expectApplications(
      r.apply(abc('Problem', 'A', 'C')),
      apps('Normal', 'Normal', 'Normal', 'Problem'),
    );
    await expectApplications(
      r.apply(abc('Problem', 'A', 'B', 'C')),
      apps('Problem', 'Problem', 'Problem', 'Problem'),
    );
    // AB-App2 selects `NoKey Exists`, so nothing: Unknown, and its parents too since nothing is worse.
    await expectApplications(
      r.apply(abApp({ A: 'true', B: 'true' }, { matchExpressions: [exists('NoKey')] })),
      apps('Unknown', 'Unknown', 'Unknown', 'Problem'),
    );
    await expectApplications(r.apply(AB), apps('Problem', 'Problem', 'Problem', 'Problem'));
    // AB-App3 is labelled A only, so B-App no longer contains it.
    await expectApplications(
      r.apply(abApp({ A: 'true' }, { matchExpressions: [exists('A'), exists('B')] })),
      apps('Problem', 'Normal', 'Problem', 'Problem'),
    );
  });

  describe('TestNamespace1..4: the namespace matrix', () => {
    const nsApp = (namespace: string, annotation: string) =>
      application('a-app', {
        namespace,
        labels: app('A'),
        annotations: { 'kappnav.component.namespaces': annotation },
        kinds: [
          { group: 'apps', kind: 'Application' },
          { group: 'services', kind: 'Service' },
          { group: 'deployments', kind: 'Deployment' },
        ],
        selector: { matchLabels: app('A') },
      });
    const resources = ['ns1', 'ns2', 'ns3', 'ns4'].flatMap((namespace) => [
      service('a-service', { namespace, labels: app('A') }),
      deployment('a-deployment', 'Normal', { namespace, labels: app('A') }),
    ]);

    it.each<[string, Record<string, string>, KubeObject, string[]]>([
      ['TestNamespace1: list ns1,ns2, app in ns4', NS_LIST_CONFIG, nsApp('ns4', ''), []],
      [
        'TestNamespace2: list ns1,ns2, app in ns1 annotated ns2,ns3',
        NS_LIST_CONFIG,
        nsApp('ns1', 'ns2, ns3'),
        ['ns1', 'ns2'],
      ],
      ['TestNamespace3: no list, app in ns4', NS_NOLIST_CONFIG, nsApp('ns4', ''), ['ns4']],
      [
        'TestNamespace4: no list, app in ns1 annotated ns2,ns3',
        NS_NOLIST_CONFIG,
        nsApp('ns1', 'ns2, ns3'),
        ['ns1', 'ns2', 'ns3'],
      ],
    ])('%s', async (_name, config, nsApplication, withStatus) => {
      const r = new Reconciler([nsApplication, ...resources], config);
      await r.reconcile();
      const expected: Record<string, string> = {};
      if (withStatus.length > 0) expected[`Application/${keyOf(nsApplication)}`] = 'Normal';
      for (const namespace of withStatus) {
        expected[`Service/${namespace}/a-service`] = 'Normal';
        expected[`Deployment/${namespace}/a-deployment`] = 'Normal';
      }
      expect(r.statuses()).toEqual(expected);
    });
  });

  it('TestNamespacePreExisting: no application, no status; an application brings status to its namespace only', async () => {
    const ns = (namespace: string) => [
      service('s', { namespace, labels: app('A') }),
      deployment('d', 'Normal', { namespace, labels: app('A') }),
    ];
    const r = new Reconciler([...ns('ns1'), ...ns('ns2')]);
    await r.reconcile();
    expect(r.statuses()).toEqual({});
    r.apply(
      application('a-app', { namespace: 'ns1', kinds: LEAF_KINDS, selector: { matchLabels: app('A') } }),
    );
    await r.reconcile();
    expect(r.statuses()).toEqual({
      'Application/ns1/a-app': 'Normal',
      'Service/ns1/s': 'Normal',
      'Deployment/ns1/d': 'Normal',
    });
  });

  it('TestComponentNamespaces: annotating the application pulls another namespace in', async () => {
    const ns1App = (annotations?: Record<string, string>) =>
      application('a-app', {
        namespace: 'ns1',
        labels: app('A'),
        ...(annotations ? { annotations } : {}),
        kinds: LEAF_KINDS,
        selector: { matchLabels: app('A') },
      });
    const ns = (namespace: string, h: Health = 'Normal') => [
      service('s', { namespace, labels: app('A') }),
      deployment('d', h, { namespace, labels: app('A') }),
    ];
    const r = new Reconciler([ns1App(), ...ns('ns1'), ...ns('ns2')]);
    await r.reconcile();
    expect(r.statuses()).toEqual({
      'Application/ns1/a-app': 'Normal',
      'Service/ns1/s': 'Normal',
      'Deployment/ns1/d': 'Normal',
    });
    r.apply(ns1App({ 'kappnav.component.namespaces': 'ns2' }));
    await r.reconcile();
    expect(r.statuses()).toMatchObject({ 'Service/ns2/s': 'Normal', 'Deployment/ns2/d': 'Normal' });
    await expectApplications(r.apply(...ns('ns2', 'Warning')), { 'a-app': 'Warning' });
    await expectApplications(r.apply(...ns('ns1', 'Problem')), { 'a-app': 'Problem' });
    await expectApplications(r.apply(...ns('ns1')), { 'a-app': 'Warning' });
    await expectApplications(r.apply(...ns('ns2')), { 'a-app': 'Normal' });
  });

  it('TestNoNamespaceResource: a cluster-scoped component is always in scope', async () => {
    const nodeApp = application('a-app', {
      labels: app('A'),
      kinds: [{ group: 'node', kind: 'Node' }],
      selector: { matchLabels: app('A') },
    });
    const minikube = (ready: 'True' | 'False' | 'Unknown') => node('minikube', ready, app('A'));
    const r = new Reconciler([nodeApp, minikube('True')]);
    await r.reconcile();
    expect(r.statuses()).toEqual({ 'Application/default/a-app': 'Normal', 'Node/minikube': 'Normal' });
    await expectApplications(r.apply(minikube('False')), { 'a-app': 'Problem' });
    await expectApplications(r.apply(minikube('Unknown')), { 'a-app': 'Warning' });
    await expectApplications(r.apply(minikube('True')), { 'a-app': 'Normal' });
  });
});
