/**
 * The Vimana endpoints behind the real webhook server: what they are registered for, what they answer,
 * and that no Vimana object, however malformed, makes them fail.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../../certs/pki.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { AdmissionEndpoint } from '../../webhook/admission-endpoint.ts';
import { AdmissionMetrics } from '../../webhook/admission-metrics.ts';
import type { AdmissionResponse, AdmissionReview } from '../../webhook/admission-review.ts';
import { createWebhookServer, type WebhookServer } from '../../webhook/webhook-server.ts';
import { vimanaEndpoints } from './endpoints.ts';
import {
  ACME,
  acme,
  ChangingClusterView,
  DOMAIN_ID,
  variant,
  OPERATOR_CONDITION,
} from '../../test/support/vimana/fixtures.ts';
import { IN_USE_FINALIZER } from './protection.ts';
import { PRISMGATE_CONDITION } from './status.ts';
import { STATUS_FIELD_MANAGER } from './status-fields.ts';
import { VIMANA_KINDS } from './types.ts';

const SETTLE_MS = 150;
const view = new ChangingClusterView(ACME);
const endpoints = vimanaEndpoints(() => view, { settleMs: SETTLE_MS });
let server: WebhookServer;
/** The same endpoints without waiting for the caches, for properties over many cluster-dependent denials. */
let impatientServer: WebhookServer;

function serve(served: AdmissionEndpoint[]): Promise<WebhookServer> {
  const ca = createCertificateAuthority('ca', { validForMs: DAY_MS });
  return createWebhookServer({
    endpoints: served,
    tls: issueServingCertificate(ca, 'webhook', ['localhost'], { validForMs: DAY_MS }),
    log: pino({ level: 'silent' }),
    metrics: new AdmissionMetrics(new Registry()),
    ready: () => true,
  });
}

beforeAll(async () => {
  server = await serve(endpoints);
  impatientServer = await serve(vimanaEndpoints(() => view, { settleMs: 0 }));
});
afterAll(async () => {
  await server.close();
  await impatientServer.close();
});

interface ReviewOptions {
  operation?: string;
  oldObject?: unknown;
  subResource?: string;
  group?: string;
  options?: unknown;
}

function reviewOf(object: unknown, options: ReviewOptions = {}) {
  const kind = (object as KubeObject | null)?.kind;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: options.group ?? 'api.vimana.host', version: 'v1alpha1', kind: kind ?? 'Server' },
      resource: { group: options.group ?? 'api.vimana.host', version: 'v1alpha1', resource: 'servers' },
      ...(options.subResource && { subResource: options.subResource }),
      namespace: 'acme',
      name: (object as KubeObject | null)?.metadata?.name ?? 'x',
      operation: options.operation ?? 'CREATE',
      userInfo: { username: 'jane' },
      ...(options.options !== undefined && { options: options.options }),
      ...(options.operation === 'DELETE'
        ? { oldObject: object }
        : { object, ...(options.oldObject !== undefined && { oldObject: options.oldObject }) }),
    },
  };
}

function send(path: string, object: unknown, options: ReviewOptions = {}, to = server) {
  return to.inject({
    method: 'POST',
    url: path,
    payload: JSON.stringify(reviewOf(object, options)),
    headers: { 'content-type': 'application/json' },
  });
}

async function post(path: string, object: unknown, options: ReviewOptions = {}): Promise<AdmissionResponse> {
  const res = await send(path, object, options);
  expect(res.statusCode).toBe(200);
  return res.json<AdmissionReview>().response;
}

function patchOf(response: AdmissionResponse): { op: string; path: string; value?: unknown }[] {
  return response.patch ? JSON.parse(Buffer.from(response.patch, 'base64').toString()) : [];
}

describe('registration', () => {
  const declarations = endpoints.map((endpoint) => ({ path: endpoint.path, ...endpoint.declaration() }));

  it('asks for exactly the four kinds, their operations and, for status, UPDATE of the subresource', () => {
    expect(declarations.map(({ path, rules }) => [path, rules])).toEqual([
      [
        '/validate/vimana',
        [
          {
            apiGroups: ['api.vimana.host'],
            apiVersions: ['v1alpha1'],
            resources: ['vimanas', 'domains', 'servers', 'components'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
            scope: 'Namespaced',
          },
        ],
      ],
      ['/mutate/vimana', [expect.objectContaining({ operations: ['CREATE', 'UPDATE'] })]],
      [
        '/mutate/vimana-status',
        [
          expect.objectContaining({
            resources: ['vimanas/status', 'domains/status', 'servers/status', 'components/status'],
            operations: ['UPDATE'],
          }),
        ],
      ],
    ]);
  });

  it('fails closed on invariants, open on computed status, within a few seconds', () => {
    expect(declarations.map((d) => [d.failurePolicy, d.timeoutSeconds])).toEqual([
      ['Fail', 3],
      ['Fail', 3],
      ['Ignore', 3],
    ]);
    expect(declarations[0]?.matchConditions?.map((condition) => condition.name)).toEqual([
      'not-a-consequential-delete',
      'spec-or-labels-change',
    ]);
  });
});

describe('/validate/vimana', () => {
  it('allows a valid Component and denies with the rule message, every violation together', async () => {
    expect(await post('/validate/vimana', acme('Component', 'payments-1-4-0'))).toMatchObject({
      allowed: true,
    });
    const denied = await post('/validate/vimana', variant('Component', { version: '1.2.3-alpha.1' }));
    expect(denied.status?.message).toContain(
      'spec.version "1.2.3-alpha.1": must be MAJOR.MINOR.PATCH with an optional undotted pre-release, no build metadata (rule F3)',
    );
    const many = await post('/validate/vimana', variant('Server', { id: 'Bad_Id', services: [] }));
    expect(many.status?.message).toMatch(
      /^2 violations:\n- spec.id "Bad_Id": .*\(rule F2\)\n- spec.services/,
    );
    expect(many.status?.details?.causes.map((cause) => cause.field)).toEqual(['spec.id', 'spec.services']);
  });

  it('lets a denial that rests on the cluster wait for the caches to catch up', async () => {
    const domain = variant('Domain', { vimana: 'late' });
    const lateVimana = { ...acme('Vimana'), metadata: { name: 'late', namespace: 'acme' } };
    const pending = post('/validate/vimana', domain);
    setTimeout(() => view.replace([...ACME, lateVimana]), 20);
    expect(await pending).toMatchObject({ allowed: true });
    view.replace(ACME);
    const started = performance.now();
    expect(await post('/validate/vimana', domain)).toMatchObject({ allowed: false });
    expect(performance.now() - started).toBeGreaterThanOrEqual(SETTLE_MS - 5);
  });

  it('fails closed while the caches have not synced', async () => {
    view.synced = false;
    try {
      const response = await post('/validate/vimana', acme('Server'));
      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain('the Vimana caches have not completed their first list yet');
    } finally {
      view.synced = true;
    }
  });
});

describe('/mutate/vimana', () => {
  it('adds the labels the spec implies, the in-use finalizer, and generates a missing Domain id', async () => {
    const unlabelled = acme('Component', 'payments-1-5-0-rc1');
    expect(patchOf(await post('/mutate/vimana', unlabelled))).toEqual([
      { op: 'add', path: '/metadata/finalizers', value: [IN_USE_FINALIZER] },
      {
        op: 'add',
        path: '/metadata/labels',
        value: {
          'vimana.host/domain': DOMAIN_ID,
          'vimana.host/server': 'payments',
          'vimana.host/version': '1.5.0-rc1',
        },
      },
    ]);
    const response = await post('/mutate/vimana', variant('Domain', { id: '' }));
    const idPatch = patchOf(response).find((operation) => operation.path === '/spec/id');
    expect(idPatch?.value).toMatch(/^[0-9a-f]{32}$/);
    expect(response.warnings?.[0]).toMatch(/^spec.id "": generated "[0-9a-f]{32}"$/);
    // Updates keep what finalizers the object has: the finalizer is the controller's to maintain.
    const updated = await post('/mutate/vimana', acme('Vimana'), {
      operation: 'UPDATE',
      oldObject: acme('Vimana'),
    });
    expect(patchOf(updated)).toEqual([]);
  });
});

describe('/mutate/vimana-status', () => {
  /** A Server whose status prismgate applied: its fields and its condition held by its field manager. */
  const held = {
    ...acme('Server'),
    metadata: {
      ...acme('Server').metadata,
      managedFields: [
        {
          manager: STATUS_FIELD_MANAGER,
          operation: 'Apply',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:serverName': {},
              'f:traffic': {},
              'f:conditions': { [`k:{"type":"${PRISMGATE_CONDITION}"}`]: {} },
            },
          },
        },
      ],
    },
    status: {
      conditions: [{ type: PRISMGATE_CONDITION, status: 'True', reason: 'Reconciled', message: '' }],
      serverName: `${DOMAIN_ID}:payments`,
      traffic: '1.4.0=90%, 1.5.0-rc1=10%',
    },
  };

  it("puts back prismgate's fields that another writer's status update leaves out, and changes nothing it set", async () => {
    // The operator's kind of write: a full status from Go types that know only conditions.
    const written = { ...held, status: { conditions: [OPERATOR_CONDITION] } };
    const response = await post('/mutate/vimana-status', written, {
      operation: 'UPDATE',
      subResource: 'status',
      oldObject: held,
    });
    const patched = patchOf(response);
    const value = (path: string) => patched.find((operation) => operation.path === path)?.value;
    expect(value('/status/serverName')).toBe(`${DOMAIN_ID}:payments`);
    expect(value('/status/traffic')).toBe('1.4.0=90%, 1.5.0-rc1=10%');
    expect(value('/status/conditions/1')).toEqual(held.status.conditions[0]);
    // The writer's own condition is untouched, and nothing is computed afresh.
    expect(patched.some((operation) => operation.path.startsWith('/status/conditions/0'))).toBe(false);
    expect(patched.map((operation) => operation.path).sort()).toEqual([
      '/status/conditions/1',
      '/status/serverName',
      '/status/traffic',
    ]);
  });

  it("leaves prismgate's own apply as it is: what it leaves out, it means to remove", async () => {
    const response = await post(
      '/mutate/vimana-status',
      { ...held, status: {} },
      {
        operation: 'UPDATE',
        subResource: 'status',
        oldObject: held,
        options: { kind: 'PatchOptions', fieldManager: STATUS_FIELD_MANAGER },
      },
    );
    expect(response).toEqual({ uid: 'u-1', allowed: true });
  });

  it('leaves main-resource writes alone', async () => {
    const response = await post('/mutate/vimana-status', acme('Server'), {
      operation: 'UPDATE',
      oldObject: acme('Server'),
    });
    expect(response).toEqual({ uid: 'u-1', allowed: true });
  });
});

describe('bad input specific to Vimana', () => {
  const serverSpec = acme('Server')['spec'] as Record<string, unknown>;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'acme' },
    data: {},
  };

  it.each(endpoints.map((endpoint) => endpoint.path))(
    '%s allows objects of kinds it does not own, without a patch',
    async (path) => {
      const subResource = path.endsWith('status') ? 'status' : undefined;
      const response = await post(path, configMap, {
        group: '',
        operation: subResource ? 'UPDATE' : 'CREATE',
        ...(subResource && { subResource }),
      });
      expect(response).toEqual({ uid: 'u-1', allowed: true });
    },
  );

  it.each([
    ['spec a string', { spec: 'payments' }, 'spec "payments": is required: an object (rule F13)'],
    [
      'services a string',
      { spec: { ...serverSpec, services: 'a.B' } },
      'spec.services "a.B": must be a list of strings (rule F5)',
    ],
    [
      'a weight a string',
      { spec: { ...serverSpec, versionWeights: { '1.4.0': '90' } } },
      'spec.versionWeights["1.4.0"] "90": must be an integer from 0 to 1000000 (rule F12)',
    ],
    ['id a number', { spec: { ...serverSpec, id: 7 } }, 'spec.id 7: must be a string (rule F13)'],
  ])('denies a Server with %s, naming the field', async (_, change, message) => {
    const response = await post('/validate/vimana', { ...acme('Server'), ...change });
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain(message);
  });

  it('answers every endpoint with a verdict or a 400, never a failure, whatever JSON a Vimana object holds', async () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const vimanaObject = fc.record({
      apiVersion: fc.constant('api.vimana.host/v1alpha1'),
      kind: fc.constantFrom(...VIMANA_KINDS),
      metadata: fc.oneof(
        fc.record({ name: fc.string(), namespace: fc.constant('acme'), labels: json }),
        json,
      ),
      spec: fc.oneof(
        json,
        fc.dictionary(
          fc.constantFrom(
            'id',
            'domain',
            'server',
            'version',
            'image',
            'services',
            'aliases',
            'versionWeights',
            'grpc',
            'auth',
            'regions',
          ),
          json,
        ),
      ),
      status: json,
    });
    await fc.assert(
      fc.asyncProperty(
        vimanaObject,
        fc.constantFrom('CREATE', 'UPDATE', 'DELETE'),
        async (object, operation) => {
          for (const endpoint of endpoints) {
            const subResource = endpoint.path.endsWith('status') ? 'status' : undefined;
            const res = await send(
              endpoint.path,
              object,
              {
                operation: subResource ? 'UPDATE' : operation,
                oldObject: operation === 'UPDATE' || subResource ? acme(object.kind) : undefined,
                ...(subResource && { subResource }),
              },
              impatientServer,
            );
            // fastify refuses a `__proto__` key outright (prototype poisoning): a clear 400, never a crash.
            if (res.statusCode === 400) {
              expect(res.json()).toMatchObject({ kind: 'Status', code: 400 });
              continue;
            }
            expect(res.statusCode).toBe(200);
            const { response } = res.json<AdmissionReview>();
            expect(response.status?.reason).not.toBe('InternalError');
            if (!response.allowed) expect(response.status?.code).toBe(403);
            if (endpoint.type === 'mutating') expect(response.allowed).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('warnings (issue 15, finding 10)', () => {
  // Before the cap: 31,303 warnings, 4.0 MB of them; after: 33 warnings, 4,149 bytes (a 4.4 kB response).
  it('answers a 2 MiB Domain of repeated entries with at most 4 Ki characters of warnings', async () => {
    const region = `aws/${'r'.repeat(60)}`;
    const regions = Array.from({ length: (2 * 1024 * 1024) / (region.length + 3) }, () => region);
    const domain = variant('Domain', { regions });
    expect(JSON.stringify(domain).length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await send('/validate/vimana', domain, { group: 'api.vimana.host' });
    const { warnings = [] } = res.json<AdmissionReview>().response;
    const bytes = Buffer.byteLength(warnings.join(''));
    expect(warnings.length).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(4 * 1024 + 256);
  });
});
