/**
 * Fuzzing the prism API: the request pipeline of `createPrismApiServer` with the real resources (the kAppNav
 * projections, lifecycle events, the seed's shapes) over a cluster held in memory, and the real front-proxy
 * header parsing, driven with `inject()`: random paths, methods, query strings and huge label and field
 * selectors, Accept and Content-Type headers, identity headers, malformed, oversized and deeply nested
 * bodies. The server never crashes, answers each request within a bound, answers client errors as a
 * metav1.Status below 500, and never 5xx.
 */
import { parse as parseYaml } from 'yaml';
import { PRISM } from './api-group.ts';
import { once } from 'node:events';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from '../../../pkg/json/nesting-depth.ts';
import { KubeApiError } from '../../../pkg/kube/kube-client.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import {
  headerValues,
  RequestHeaderAuthenticator,
} from '../../../aggregated-api/authn/request-header-authenticator.ts';
import type { Authenticator } from '../../../aggregated-api/authn/request-authenticator.ts';
import { kappnavCompatRoutes } from './compat/kappnav-compat-routes.ts';
import { COMPAT_BASES } from './compat/seed-convention.ts';
import { PrismModel } from './model/prism-model.ts';
import { installApiGroup, apiListenerOptions } from '../../../aggregated-api/api-pipeline.ts';
import { applicationsProjection } from './resources/applications.ts';
import { componentsProjection } from './resources/components.ts';
import { LifecycleEvents } from './resources/lifecycle-events.ts';
import { namespacesProjection } from './resources/namespaces.ts';
import { projectedResource } from './resources/projected-resource.ts';
import { resourceStatusesProjection } from './resources/resource-statuses.ts';
import { RevisionClock } from '../../../aggregated-api/store/revision-clock.ts';
import { AUTHENTICATION_CONFIG } from '../../../test/support/aggregated-api/authentication-fixture.ts';
import { MemoryKappnavSource, SOURCE_TYPES } from '../../../test/support/kappnav/memory-kappnav-source.ts';
import { memoryRuntime } from '../../../test/support/kappnav/memory-runtime.ts';
import { stockTraderObjects } from '../../../test/support/prism/stock-trader.ts';
import { DEFAULT_WATCH_SETTINGS } from '../../../aggregated-api/watch/watch-handler.ts';

const ROOT = '/apis/prism.kappnav.io/v1';
/** Far above what any request here takes; below kube-apiserver's 60 s proxy timeout many times over. */
const ANSWER_BOUND_MS = 3000;
const ADMIN = { 'x-remote-user': 'admin', 'x-remote-group': 'system:masters' };

const sandbox = new ScriptSandbox();
let model: PrismModel;
let app: FastifyInstance;

/**
 * The front proxy's headers, read by the real parser. The proxy's certificate cannot be presented through
 * inject(), so every request counts as coming from the front proxy; the chain check has its own tests.
 */
function frontProxyHeaders(): Authenticator {
  const frontProxy = new RequestHeaderAuthenticator(AUTHENTICATION_CONFIG.requestHeader!);
  return {
    authenticate: ({ rawHeaders }) => {
      const user = frontProxy.userFromHeaders(headerValues(rawHeaders));
      return Promise.resolve(user ? { user, method: 'front-proxy' } : undefined);
    },
  };
}

beforeAll(async () => {
  const source = new MemoryKappnavSource(stockTraderObjects());
  const discovery = {
    forKind: (group: string, kind: string) => source.forKind(group, kind),
    groupsServingKind: (kind: string) => SOURCE_TYPES.filter((t) => t.kind === kind).map((t) => t.group),
    all: () => SOURCE_TYPES.map((t) => ({ ...t, verbs: ['get'], preferred: true })),
  };
  // Annotations are written into the source (lifecycle events); reads beyond the caches find nothing.
  const client = { request: () => Promise.reject(new KubeApiError(404, undefined, 'not found')) };
  const runtime = memoryRuntime(source, sandbox, { client });
  const { reader } = runtime;
  const reviewer = { review: () => Promise.resolve({ allowed: true, reason: '' }) };
  const prism = (model = new PrismModel({ runtime, log: pino({ level: 'silent' }) }));
  const clock = new RevisionClock();
  const fresh = () => [];
  app = fastify(apiListenerOptions());
  const { access } = await installApiGroup(app, {
    groupVersion: PRISM,
    authenticator: frontProxyHeaders(),
    reviewer,
    resources: [
      projectedResource(applicationsProjection, prism, clock, fresh),
      projectedResource(componentsProjection, prism, clock, fresh),
      projectedResource(namespacesProjection, prism, clock, fresh),
      projectedResource(resourceStatusesProjection({ model: prism, reader, discovery }), prism, clock, fresh),
      new LifecycleEvents({ lifecycle: runtime.lifecycle, discovery, reviewer }),
    ],
    clock,
    registry: new Registry(),
    readiness: [],
    watchSettings: DEFAULT_WATCH_SETTINGS,
    log: pino({ level: 'silent' }),
  });
  await app.register(kappnavCompatRoutes, {
    prefix: COMPAT_BASES[0],
    model: prism,
    cluster: source,
    discovery,
    reader,
    access,
  });
  await prism.refresh();
});
afterAll(async () => {
  await app.close();
  model.stop();
  await sandbox.close();
});

interface Answer {
  statusCode: number;
  ms: number;
  body: string;
}

async function send(options: {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}): Promise<Answer> {
  const begun = performance.now();
  const res = await app.inject({
    method: (options.method ?? 'GET') as 'GET',
    url: options.url,
    headers: { ...ADMIN, ...options.headers },
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
  return { statusCode: res.statusCode, ms: performance.now() - begun, body: res.body };
}

/**
 * kube-apiserver's one 500 for a client's error, which prism answers alike: a get or watch with a
 * malformed resourceVersion gets storage's InvalidError, passed on without a reason.
 */
function isMalformedResourceVersion(answer: Answer): boolean {
  if (answer.statusCode !== 500) return false;
  const status = parseYaml(answer.body) as { reason?: string; message?: string };
  return status.reason === undefined && /^resourceVersion: Invalid value: /.test(status.message ?? '');
}

/**
 * In time, never 5xx (but the one above), and a failure is a metav1.Status (the seed's shapes answer
 * errors as 207) or, for a path outside the API, Go's plain `404 page not found`.
 */
function expectWellFormed(answer: Answer): void {
  expect(answer.ms).toBeLessThan(ANSWER_BOUND_MS);
  if (answer.body === '404 page not found\n') {
    expect(answer.statusCode).toBe(404);
    return;
  }
  if (!isMalformedResourceVersion(answer))
    expect(answer.statusCode, answer.body.slice(0, 300)).toBeLessThan(500);
  if (answer.statusCode >= 400)
    expect(parseYaml(answer.body)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: answer.statusCode,
    });
}

// --- generators ----------------------------------------------------------------------------------

const RESOURCES = [
  'prismapplications',
  'prismcomponents',
  'prismnamespaces',
  'resourcestatuses',
  'lifecycleevents',
];
const NAME = fc.oneof(
  fc.constantFrom('stock-trader', 'bundle', 'deployment.apps:trader', 'service:trader', 'a'.repeat(253)),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const PATH = fc.oneof(
  fc
    .tuple(
      fc.option(fc.constantFrom('shop', 'other', 'x'.repeat(63))),
      fc.constantFrom(...RESOURCES),
      fc.option(NAME),
    )
    .map(([ns, resource, name]) =>
      [ROOT, ...(ns ? ['namespaces', ns] : []), resource, ...(name ? [name] : [])].join('/'),
    ),
  fc
    .tuple(
      fc.constantFrom('applications', 'components', 'namespaces', 'status', 'resource'),
      fc.array(NAME, { maxLength: 3 }),
    )
    .map(([endpoint, rest]) => [`${ROOT}/kappnav/api`, endpoint, ...rest].join('/')),
  fc
    .array(
      fc.constantFrom(
        'apis',
        'api',
        'prism.kappnav.io',
        'v1',
        'openapi',
        'v2',
        'v3',
        'livez',
        'readyz',
        'metrics',
        '..',
        '%2F',
        '%ZZ',
      ),
      { maxLength: 6 },
    )
    .map((s) => `/${s.join('/')}`),
);

/** Label selectors from the grammar's pieces, mostly valid, sometimes huge (within the 16 KiB URL limit). */
const LABEL_SELECTOR = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'app',
          '!app',
          'app=web',
          'app==web',
          'app!=web',
          'solution in (stock-trader,x)',
          'a notin ()',
          'b in (',
          'c=',
          '=',
          ',',
          'x/y=z',
          'é=1',
        ),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(',')),
  fc.nat(1500).map((n) => `k in (${Array.from({ length: n }, (_, i) => `v${i}`).join(',')})`),
  fc.nat(1500).map((n) => Array.from({ length: n }, (_, i) => `k${i}!=v`).join(',')),
);
const FIELD_SELECTOR = fc.oneof(
  fc.constantFrom(
    'metadata.name=stock-trader',
    'metadata.namespace!=shop',
    'status.value=Warning',
    'spec=1',
    'a\\,b=c',
    '=',
    '',
  ),
  fc.nat(1000).map((n) => Array.from({ length: n }, (_, i) => `metadata.name!=n${i}`).join(',')),
);
const QUERY = fc
  .record(
    {
      labelSelector: LABEL_SELECTOR,
      fieldSelector: FIELD_SELECTOR,
      limit: fc.constantFrom('1', '0', '-1', '500', 'x', '9'.repeat(30)),
      continue: fc.oneof(fc.string({ maxLength: 20 }), fc.base64String({ maxLength: 40 })),
      resourceVersion: fc.constantFrom('0', '1', '', 'x', '9'.repeat(40)),
      resourceVersionMatch: fc.constantFrom('Exact', 'NotOlderThan', 'x'),
      watch: fc.constantFrom('true', '1', 'false', 'x'),
      includeObject: fc.constantFrom('None', 'Metadata', 'Object', 'x'),
      namespace: fc.constantFrom('shop', '', 'x'),
      locale: fc.constantFrom('en', 'fr', 'zz-ZZ', 'x'.repeat(200)),
      fieldValidation: fc.constantFrom('Strict', 'Warn', 'Ignore', 'x'),
      dryRun: fc.constantFrom('All', 'x'),
      apiVersion: fc.constantFrom('apps/v1', 'x/y/z', ''),
    },
    { requiredKeys: [] },
  )
  // A watch ends after at most a second (as the watch timeout of a real client would end it).
  .map((query) =>
    new URLSearchParams({ ...query, ...(query.watch ? { timeoutSeconds: '1' } : {}) }).toString(),
  );

const ACCEPT = fc.oneof(
  fc.constantFrom(
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    'application/json;as=Table;v=v1;g=meta.k8s.io',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    '*/*;q=0',
    ';;;,,,',
  ),
  fc.string({ maxLength: 40 }),
);

/** Who the front proxy says is asking: the administrator, or headers with odd names and values. */
const IDENTITY = fc.oneof(
  fc.constant(ADMIN),
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('x-remote-user', 'x-remote-group', 'x-remote-uid'),
      fc.string({ minLength: 1, maxLength: 10 }).map((k) => `x-remote-extra-${encodeURIComponent(k)}`),
      fc.constantFrom('x-remote-extra-%zz', 'x-remote-extra-'),
    ),
    fc
      .oneof(fc.constantFrom('admin', 'system:masters', ''), fc.string({ maxLength: 10 }))
      .map((v) => v.replace(/[^\x20-\x7e]/g, '')),
  ),
);

const BODY = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      type: fc.constantFrom('Created', 'Updated', 'Deleted', 'x'),
      kind: fc.constantFrom('Deployment', 'Application', 'Service', 'Nope', ''),
      name: fc.constantFrom('trader', 'stock-trader', 'missing'),
      namespace: fc.constantFrom('shop', 'other', undefined),
      extra: fc.jsonValue({ maxDepth: 3 }),
    })
    .map(({ type, kind, name, namespace, extra }) =>
      JSON.stringify({
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'LifecycleEvent',
        metadata: { name: 'e', extra },
        spec: { type, resource: { kind, name, ...(namespace ? { namespace } : {}) } },
      }),
    ),
  fc.string({ maxLength: 30 }),
);

describe('the prism API, fuzzed', () => {
  it('answers random reads in time, never 5xx, failures as a Status', async () => {
    await fc.assert(
      fc.asyncProperty(PATH, QUERY, ACCEPT, IDENTITY, async (path, query, accept, identity) => {
        const answer = await send({ url: `${path}?${query}`, headers: { accept, ...identity } });
        // The seed's shapes answer their errors as 207 {"message"}, as the seed did.
        if (answer.statusCode !== 207 && answer.statusCode !== 401) expectWellFormed(answer);
        else expect(answer.ms).toBeLessThan(ANSWER_BOUND_MS);
      }),
      { numRuns: 300 },
    );
  });

  it('answers random writes (bodies, content types, methods) in time, never 5xx, failures as a Status', async () => {
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/yaml',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
      'text/plain',
      '',
    );
    await fc.assert(
      fc.asyncProperty(
        PATH,
        QUERY,
        fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'),
        BODY,
        contentType,
        async (path, query, method, payload, type) => {
          const answer = await send({
            method,
            url: `${path}?${query}`,
            payload,
            headers: type ? { 'content-type': type } : {},
          });
          if (answer.statusCode !== 207) expectWellFormed(answer);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bodies and names at the limits', () => {
  const event = (metadata: string) =>
    `{"apiVersion":"prism.kappnav.io/v1","kind":"LifecycleEvent","metadata":${metadata},"spec":{"type":"Created","resource":{"kind":"Deployment","name":"trader","namespace":"shop"}}}`;
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const post = (payload: string) =>
    send({
      method: 'POST',
      url: `${ROOT}/lifecycleevents`,
      payload,
      headers: { 'content-type': 'application/json' },
    });

  it('refuses a body nested 100,000 levels deep with 400', async () => {
    const answer = await post(event(nested(100_000)));
    expectWellFormed(answer);
    expect(answer.statusCode).toBe(400);
    expect(parseYaml(answer.body).message).toContain(`deeper than ${MAX_NESTING_DEPTH} levels`);
  });

  it('takes a body nested as deep as allowed', async () => {
    const answer = await post(event(`{"name":"e","labels":{},"x":${nested(MAX_NESTING_DEPTH - 3)}}`));
    expectWellFormed(answer);
    expect(answer.statusCode).toBe(201);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const answer = await post(event(JSON.stringify({ name: 'e', annotations: { a: 'x'.repeat(1 << 20) } })));
    expectWellFormed(answer);
    expect(answer.statusCode).toBe(413);
  });

  it('looks up names as long as Kubernetes allows, and a resourceVersion no server issues is a 400', async () => {
    // A Deployment name may have 253 characters; its ResourceStatus is named deployment.apps:<name>.
    const name = `deployment.apps:${'a'.repeat(253)}`;
    const status = await send({ url: `${ROOT}/namespaces/shop/resourcestatuses/${name}` });
    expectWellFormed(status);
    expect(status.statusCode).toBe(404);
    const rv = await send({ url: `${ROOT}/prismapplications?resourceVersion=${'9'.repeat(40)}` });
    expectWellFormed(rv);
    expect(rv.statusCode).toBe(400);
  });

  it('answers URLs that do not decode as a Status', async () => {
    for (const url of [`${ROOT}/namespaces/%ZZ/prismapplications`, '/%E0%A4%A']) {
      const answer = await send({ url });
      expectWellFormed(answer);
      expect(answer.statusCode).toBe(400);
    }
  });

  it('never lets a request line over 16 KiB in (Node refuses it with 431 before fastify sees it)', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const selector = encodeURIComponent(
      `k in (${Array.from({ length: 5000 }, (_, i) => `v${i}`).join(',')})`,
    );
    socket.end(`GET ${ROOT}/prismapplications?labelSelector=${selector} HTTP/1.1\r\nHost: x\r\n\r\n`);
    let response = '';
    for await (const chunk of socket) response += String(chunk);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
  });
});
