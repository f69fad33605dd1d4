/**
 * Fuzzing the admission webhook server with every endpoint of the default features: generated reviews
 * (fixture objects with random changes, random objects, odd operations and subresources), malformed and
 * oversized bodies, deep nesting, wrong content types, random paths, methods and headers. The server never
 * crashes, answers each request within its webhook's timeoutSeconds, never answers 5xx, and an endpoint
 * registered with failurePolicy Ignore never denies.
 *
 * Two servers: the endpoints over in-memory clusters (every rule evaluates; no input may make one fail),
 * and `defaultFeatures()` started against an API server that refuses every connection (prismgate just
 * started, or cut off: endpoints that must fail close, the others let requests through).
 */
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import fc from 'fast-check';
import jsonPatch from 'fast-json-patch';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../certs/pki.ts';
import { MAX_NESTING_DEPTH } from '../pkg/json/nesting-depth.ts';
import { ApiDiscovery } from '../pkg/kube/api-discovery.ts';
import { CacheSet } from '../pkg/kube/cache-set.ts';
import { KubeClient } from '../pkg/kube/kube-client.ts';
import type { KubeObject } from '../pkg/kube/types.ts';
import { application, deployment, service } from '../test/support/kappnav/status-fixtures.ts';
import { loadManifests } from '../pkg/manifests/manifest-files.ts';
import { ScriptSandbox } from '../pkg/sandbox/script-sandbox.ts';
import type { Feature, SharedServices } from '../features/feature.ts';
import { defaultFeatures } from '../src/default-features.ts';
import type { AdmissionEndpoint } from './admission-endpoint.ts';
import { AdmissionMetrics } from './admission-metrics.ts';
import type { AdmissionReview } from './admission-review.ts';
import { ProblemLog } from '../features/kappnav/status/problem-log.ts';
import { StatusInjectionEndpoint } from '../features/kappnav/runtime/status-injection-endpoint.ts';
import { MemoryKappnavSource } from '../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../test/support/kappnav/memory-runtime.ts';
import { AuditResults } from '../features/policy/audit-results.ts';
import {
  mutatingPolicyEndpoint,
  policyResourceEndpoint,
  validatingPolicyEndpoint,
} from '../features/policy/policy-endpoints.ts';
import { PolicyMetrics } from '../features/policy/policy-metrics.ts';
import { PolicyStore } from '../features/policy/policy-store.ts';
import { vimanaEndpoints } from '../features/vimana/endpoints.ts';
import { ACME, ChangingClusterView } from '../test/support/vimana/fixtures.ts';
import { createWebhookServer, MAX_REVIEW_BYTES, type WebhookServer } from './webhook-server.ts';

const log = pino({ level: 'silent' });
const sandbox = new ScriptSandbox({ workers: 1 });
const POLICIES = loadManifests([new URL('../manifests/policies', import.meta.url).pathname]).objects.map(
  ({ object }) => ({ ...object, metadata: { ...object.metadata, generation: 1 } }),
);
const WEB = application('web', {
  kinds: [
    { group: 'apps', kind: 'Deployment' },
    { group: 'core', kind: 'Service' },
  ],
  selector: { matchLabels: { app: 'web' } },
});

/** The endpoints of the default features, each over a cluster held in memory. */
function inMemoryEndpoints(): AdmissionEndpoint[] {
  const view = new ChangingClusterView(ACME);
  const store = new PolicyStore();
  for (const policy of POLICIES) store.upsert(policy);
  const policies = {
    store,
    metrics: new PolicyMetrics(new Registry()),
    results: new AuditResults(),
    namespaceLabels: () => ({}),
    declarations: () => ({ validating: { name: 'v', rules: [] }, mutating: { name: 'm', rules: [] } }),
    onRulesChanged: () => {},
  };
  const kappnav = new MemoryKappnavSource([WEB, deployment('api', 'Warning', { labels: { app: 'web' } })]);
  // Follows the kinds WEB names (Deployments, Services): at once, in memory.
  void kappnav.prepare();
  return [
    ...vimanaEndpoints(() => view, { settleMs: 0 }),
    new StatusInjectionEndpoint({
      runtime: memoryRuntime(kappnav, sandbox, { problems: new ProblemLog(log) }),
      log,
    }),
    validatingPolicyEndpoint(policies),
    mutatingPolicyEndpoint(policies),
    policyResourceEndpoint(),
  ];
}

/** Shared services whose API server refuses every connection (port 1 on loopback). */
function unreachableCluster(): SharedServices {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const client = new KubeClient(kubeConfig);
  return {
    client,
    caches: new CacheSet(client, log),
    discovery: new ApiDiscovery(client, log),
    sandbox,
    log,
    registry: new Registry(),
    namespace: 'prismgate-system',
    kappnavNamespace: 'kappnav',
    leadership: { isLeader: () => false, onChange: () => () => {} },
  };
}

async function serve(endpoints: AdmissionEndpoint[]): Promise<Omit<Target, 'mayFailClosed'>> {
  const ca = createCertificateAuthority('fuzz-ca', { validForMs: DAY_MS });
  const registry = new Registry();
  const server = await createWebhookServer({
    endpoints,
    tls: issueServingCertificate(ca, 'webhook', ['localhost'], { validForMs: DAY_MS }),
    log,
    metrics: new AdmissionMetrics(registry),
    ready: () => true,
  });
  return { server, endpoints, registry };
}

/**
 * Endpoints that threw or ran out of time, as the server counted them: an Ignore endpoint's failure is
 * answered "allowed", so only the count shows it.
 */
async function evaluationFailures(target: Target): Promise<string[]> {
  const metric = await target.registry.getSingleMetricAsString('prismgate_admission_failures_total');
  return metric
    .split('\n')
    .filter((line) => /^prismgate_admission_failures_total\{.*reason="(error|timeout)"/.test(line));
}

interface Target {
  server: WebhookServer;
  endpoints: AdmissionEndpoint[];
  registry: Registry;
  /** Whether a Fail endpoint may answer "could not evaluate" (it cannot reach its cluster). */
  mayFailClosed: boolean;
}

const targets: Record<'inMemory' | 'unreachable', Target> = {} as never;
let started: Feature[] = [];
let services: SharedServices | undefined;

beforeAll(async () => {
  targets.inMemory = { ...(await serve(inMemoryEndpoints())), mayFailClosed: false };
  services = unreachableCluster();
  started = defaultFeatures();
  for (const feature of started) await feature.start(services);
  const real = started.flatMap((f) => f.admissionEndpoints?.() ?? []);
  targets.unreachable = { ...(await serve(real)), mayFailClosed: true };
});
afterAll(async () => {
  for (const target of Object.values(targets)) await target.server.close();
  for (const feature of started) await feature.stop?.();
  await services?.caches.stop();
  services?.client.close();
  await sandbox.close();
});

interface Answer {
  statusCode: number;
  ms: number;
  body: string;
}

async function post(server: WebhookServer, url: string, payload: string, headers = {}): Promise<Answer> {
  const begun = performance.now();
  const res = await server.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { statusCode: res.statusCode, ms: performance.now() - begun, body: res.body };
}

/** The answer is prismgate's (not fastify's default) and a client error or an AdmissionReview. */
function expectWellFormed(answer: Answer): void {
  expect(answer.statusCode).toBeLessThan(500);
  if (answer.statusCode >= 400)
    expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', code: answer.statusCode });
}

/** The API server waits timeoutSeconds for an answer; prismgate must answer well within it. */
function deadlineMs(endpoint: AdmissionEndpoint): number {
  return (endpoint.declaration().timeoutSeconds ?? 5) * 1000;
}

// --- generated reviews ---------------------------------------------------------------------------

const FIXTURES: readonly KubeObject[] = [
  ...ACME,
  WEB,
  deployment('front', 'Problem', { labels: { app: 'web' } }),
  service('front', { labels: { app: 'web' } }),
  ...POLICIES.slice(0, 3),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'acme' }, data: { a: 'b' } },
];
/** Where changes land: the fields rules read, and anywhere at all. */
const READ_FIELDS: string[][] = [
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'labels'],
  ['metadata', 'labels', 'vimana.host/domain'],
  ['metadata', 'annotations', 'kappnav.status.value'],
  ['metadata', 'namespace'],
  ['kind'],
  ['apiVersion'],
  ['spec'],
  ['spec', 'id'],
  ['spec', 'domain'],
  ['spec', 'server'],
  ['spec', 'version'],
  ['spec', 'image'],
  ['spec', 'aliases'],
  ['spec', 'services'],
  ['spec', 'versionWeights'],
  ['spec', 'grpc', 'reflection'],
  ['spec', 'selector'],
  ['spec', 'componentKinds'],
  ['spec', 'rules'],
  ['spec', 'match'],
  ['status'],
  ['data'],
  // Any key Kubernetes allows in a map, including the ones JavaScript treats specially.
  ['data', '__proto__'],
  ['data', 'constructor', 'prototype'],
];
const FIELD = fc.oneof(
  fc.constantFrom(...READ_FIELDS),
  fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }),
);
const VALUE = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '1.0.0-a-a-a-a-a-a-a-a-a-a-a-a.',
    'a'.repeat(300),
    '',
    'acme',
    '3f2a9c1e7b5d40a8912e6c0d4b7a1f35',
  ),
);

function withChange(object: KubeObject, [path, value]: [string[], unknown]): KubeObject {
  const copy = structuredClone(object) as Record<string, unknown>;
  // Own properties only, defined rather than assigned: `__proto__` is a key like any other here.
  const define = (at: Record<string, unknown>, key: string, v: unknown) =>
    Object.defineProperty(at, key, { value: v, enumerable: true, writable: true, configurable: true });
  let at = copy;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(at, key) ? at[key] : undefined;
    if (typeof next === 'object' && next !== null) at = next as Record<string, unknown>;
    else {
      const created = {};
      define(at, key, created);
      at = created;
    }
  }
  define(at, path.at(-1)!, value);
  return copy as KubeObject;
}

const OBJECT: fc.Arbitrary<KubeObject | null> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...FIXTURES), fc.array(fc.tuple(FIELD, VALUE), { maxLength: 4 }))
    .map(([fixture, changes]) => changes.reduce(withChange, fixture)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })) as fc.Arbitrary<KubeObject>,
  fc.constant(null),
);

const REVIEW = fc
  .record({
    object: OBJECT,
    oldObject: OBJECT,
    operation: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'),
    subResource: fc.constantFrom(undefined, 'status', 'scale'),
    namespace: fc.constantFrom(undefined, 'acme', 'default', 'kube-system'),
    username: fc.constantFrom('jane', 'system:serviceaccount:kube-system:namespace-controller'),
    dryRun: fc.boolean(),
  })
  .map((r) => {
    const kind = typeof r.object?.kind === 'string' ? r.object.kind : 'Thing';
    const [group = '', version = 'v1'] = String(r.object?.apiVersion ?? 'v1').includes('/')
      ? String(r.object?.apiVersion).split('/')
      : ['', String(r.object?.apiVersion ?? 'v1')];
    return {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'fuzz-uid',
        kind: { group, version, kind },
        resource: { group, version, resource: `${kind.toLowerCase()}s` },
        ...(r.subResource ? { subResource: r.subResource } : {}),
        ...(r.namespace ? { namespace: r.namespace } : {}),
        name: typeof r.object?.metadata?.name === 'string' ? r.object.metadata.name : undefined,
        operation: r.operation,
        userInfo: { username: r.username },
        object: r.operation === 'DELETE' ? null : r.object,
        oldObject: r.operation === 'CREATE' ? null : r.oldObject,
        dryRun: r.dryRun,
      },
    };
  });

describe.each(['inMemory', 'unreachable'] as const)('the webhook server (%s cluster)', (name) => {
  it('answers every generated review in time with a verdict its failurePolicy allows', async () => {
    const { server, endpoints, mayFailClosed } = targets[name];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), REVIEW, async (endpoint, review) => {
        const answer = await post(server, endpoint.path, JSON.stringify(review));
        expect(answer.ms).toBeLessThan(deadlineMs(endpoint));
        expectWellFormed(answer);
        const { response } = JSON.parse(answer.body) as AdmissionReview;
        expect(response.uid).toBe('fuzz-uid');
        if (endpoint.declaration().failurePolicy === 'Ignore') expect(response.allowed).toBe(true);
        if (!mayFailClosed)
          expect(response.status?.reason, response.status?.message).not.toBe('InternalError');
        if (response.patch) {
          const patch = JSON.parse(Buffer.from(response.patch, 'base64').toString());
          // A patch the API server could not apply would fail the request after all.
          jsonPatch.applyPatch(structuredClone(review.request.object), patch, true);
        }
      }),
      { numRuns: 150 },
    );
    // Over in-memory clusters no endpoint may fail, including the Ignore ones whose failures are allowed.
    if (!targets[name].mayFailClosed) expect(await evaluationFailures(targets[name])).toEqual([]);
  });

  it('answers malformed bodies, wrong content types and random paths with a client error', async () => {
    const { server, endpoints } = targets[name];
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      REVIEW.chain((review) =>
        fc.nat(JSON.stringify(review).length).map((cut) => JSON.stringify(review).slice(0, cut)),
      ),
      REVIEW.map((review) => JSON.stringify({ ...review, request: { ...review.request, uid: 7 } })),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/yaml',
      '',
      'application/json; charset=latin1',
    );
    const path = fc.oneof(
      fc.constantFrom(...endpoints.map((e) => e.path)),
      // An HTTP request line always carries a path; inject() cannot send an empty one.
      fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
      fc.constantFrom('/validate/%ZZ', '/%E0%A4%A', `/validate/${'a'.repeat(5000)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'OPTIONS'),
        body,
        contentType,
        fc.dictionary(fc.constantFrom('x-a', 'accept', 'content-encoding', 'transfer-encoding'), fc.string()),
        async (url, method, payload, type, headers) => {
          const begun = performance.now();
          const res = await server.inject({
            method: method as 'POST',
            url,
            payload: method === 'GET' ? undefined : payload,
            headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
          });
          expect(performance.now() - begun).toBeLessThan(2000);
          expectWellFormed({ statusCode: res.statusCode, ms: 0, body: res.body });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('bodies at the limits', () => {
  const reviewText = (kind: string, spec: string) =>
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'u',
        kind: { group: 'api.vimana.host', version: 'v1alpha1', kind },
        resource: { group: 'api.vimana.host', version: 'v1alpha1', resource: `${kind.toLowerCase()}s` },
        operation: 'CREATE',
        namespace: 'acme',
        name: 'x',
        userInfo: {},
        object: { apiVersion: 'api.vimana.host/v1alpha1', kind, metadata: { name: 'x' }, spec: '@' },
      },
    }).replace('"@"', spec);
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses a review nested 100,000 levels deep with 400, at once, on every endpoint', async () => {
    const { server, endpoints } = targets.inMemory;
    for (const endpoint of endpoints) {
      const answer = await post(server, endpoint.path, reviewText('Component', nested(100_000)));
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain(`deeper than ${MAX_NESTING_DEPTH} levels`);
      expect(answer.ms).toBeLessThan(deadlineMs(endpoint));
    }
  });

  it('judges a review nested exactly as deep as allowed like any other, and refuses one level more', async () => {
    const { server, endpoints } = targets.inMemory;
    // The review is level 1, its request 2, the object 3: the spec's objects are levels 4 and deeper.
    const atLimit = nested(MAX_NESTING_DEPTH - 3);
    const pastLimit = nested(MAX_NESTING_DEPTH - 2);
    for (const endpoint of endpoints) {
      const answer = await post(server, endpoint.path, reviewText('Component', atLimit));
      expect(answer.statusCode, endpoint.path).toBe(200);
      const { response } = JSON.parse(answer.body) as AdmissionReview;
      expect(response.status?.reason, `${endpoint.path}: ${response.status?.message}`).not.toBe(
        'InternalError',
      );
      expect((await post(server, endpoint.path, reviewText('Component', pastLimit))).statusCode).toBe(400);
    }
    expect(await evaluationFailures(targets.inMemory)).toEqual([]);
  });

  it('answers the largest review accepted in time, and refuses a larger one with 413', async () => {
    const { server, endpoints } = targets.inMemory;
    const skeleton = reviewText('Component', '"@"');
    // Long values where the format rules look: a version, an image, a server id.
    const filler = `1.0.0-${'a-'.repeat((MAX_REVIEW_BYTES - skeleton.length - 64) / 2)}`;
    const largest = reviewText('Component', JSON.stringify({ version: filler }));
    for (const endpoint of endpoints) {
      const answer = await post(server, endpoint.path, largest);
      expect(answer.statusCode, endpoint.path).toBe(200);
      expect(answer.ms, endpoint.path).toBeLessThan(deadlineMs(endpoint));
      const tooLarge = await post(
        server,
        endpoint.path,
        reviewText('Component', `"${'x'.repeat(MAX_REVIEW_BYTES)}"`),
      );
      expect(tooLarge.statusCode).toBe(413);
    }
  });
});
