import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../certs/pki.ts';
import type { AdmissionEndpoint } from './admission-endpoint.ts';
import { AdmissionMetrics } from './admission-metrics.ts';
import type { AdmissionReview } from './admission-review.ts';
import { createWebhookServer, type WebhookServer } from './webhook-server.ts';

const declaration = () => ({ name: 'test.prismgate.kappnav.io', rules: [] });
const endpoints: AdmissionEndpoint[] = [
  {
    type: 'validating',
    name: 'names',
    path: '/validate/names',
    declaration,
    validate: (request) => {
      const name = request.object?.metadata?.name ?? '';
      return {
        denials: name.startsWith('bad')
          ? [
              {
                field: 'metadata.name',
                message: `metadata.name "${name}": must not start with bad (rule T1)`,
              },
            ]
          : [],
        warnings: name.endsWith('-x') ? ['metadata.name ends with -x'] : [],
      };
    },
  },
  {
    type: 'mutating',
    name: 'labels',
    path: '/mutate/labels',
    declaration,
    mutate: (_request, object) => {
      object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, team: 'a' } };
      return { object, warnings: ['label team set'] };
    },
  },
  {
    type: 'validating',
    name: 'broken',
    path: '/validate/broken',
    declaration,
    validate: () => {
      throw new Error('cache not ready');
    },
  },
  {
    type: 'validating',
    name: 'slow',
    path: '/validate/slow',
    declaration,
    validate: () => new Promise(() => {}),
  },
  {
    type: 'mutating',
    name: 'decorating',
    path: '/mutate/decorating',
    declaration: () => ({ ...declaration(), failurePolicy: 'Ignore' }),
    mutate: () => {
      throw new Error('cache not ready');
    },
  },
];

function review(object: object, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      operation: 'CREATE',
      userInfo: { username: 'jane' },
      object,
      ...extra,
    },
  };
}

let server: WebhookServer;
const registry = new Registry();

beforeAll(async () => {
  const ca = createCertificateAuthority('ca', { validForMs: DAY_MS });
  server = await createWebhookServer({
    endpoints,
    tls: issueServingCertificate(ca, 'webhook', ['localhost'], { validForMs: DAY_MS }),
    log: pino({ level: 'silent' }),
    metrics: new AdmissionMetrics(registry),
    ready: () => true,
    evaluationTimeoutMs: 200,
  });
});
afterAll(() => server.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  server.inject({
    method: 'POST',
    url,
    payload: payload as string,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('validating endpoints', () => {
  it('allows with warnings, and denies with every violation and its field as a cause', async () => {
    const allowed = (
      await post('/validate/names', review({ metadata: { name: 'ok-x' } }))
    ).json<AdmissionReview>();
    expect(allowed).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-1', allowed: true, warnings: ['metadata.name ends with -x'] },
    });
    const denied = (
      await post('/validate/names', review({ metadata: { name: 'bad-one' } }))
    ).json<AdmissionReview>();
    expect(denied.response).toMatchObject({
      uid: 'u-1',
      allowed: false,
      status: {
        code: 403,
        reason: 'Forbidden',
        message: 'metadata.name "bad-one": must not start with bad (rule T1)',
        details: { causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid' }] },
      },
    });
  });

  it('judges an object holding a __proto__ key (a ConfigMap data key) without the key, polluting nothing', async () => {
    const body = JSON.stringify(review({ metadata: { name: 'ok' } })).replace(
      '"metadata":{"name":"ok"}',
      '"metadata":{"name":"ok"},"data":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
    const answer = await post('/validate/names', body);
    expect(answer.statusCode).toBe(200);
    expect(answer.json<AdmissionReview>().response).toEqual({ uid: 'u-1', allowed: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('fails closed, saying so, when the check throws or runs out of time', async () => {
    const broken = (
      await post('/validate/broken', review({ metadata: { name: 'a' } }))
    ).json<AdmissionReview>();
    expect(broken.response.allowed).toBe(false);
    expect(broken.response.status?.message).toMatch(
      /could not evaluate broken .*cache not ready \(failing closed/,
    );
    const slow = (await post('/validate/slow', review({ metadata: { name: 'a' } }))).json<AdmissionReview>();
    expect(slow.response.allowed).toBe(false);
    expect(slow.response.status?.message).toContain('no verdict within 200 ms');
    const metrics = await registry.getSingleMetricAsString('prismgate_admission_failures_total');
    expect(metrics).toContain('webhook="broken",reason="error"} 1');
    expect(metrics).toContain('webhook="slow",reason="timeout"} 1');
  });

  it('fails open, as the API server would, for an endpoint registered with failurePolicy Ignore', async () => {
    const answer = (
      await post('/mutate/decorating', review({ metadata: { name: 'a' } }))
    ).json<AdmissionReview>();
    expect(answer.response).toEqual({ uid: 'u-1', allowed: true });
    const metrics = await registry.getSingleMetricAsString('prismgate_admission_failures_total');
    expect(metrics).toContain('webhook="decorating",reason="error"} 1');
  });
});

describe('mutating endpoints', () => {
  it('answers with a base64 JSON Patch of the difference', async () => {
    const answer = (
      await post('/mutate/labels', review({ metadata: { name: 'a' } }))
    ).json<AdmissionReview>();
    expect(answer.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(answer.response.patch!, 'base64').toString())).toEqual([
      { op: 'add', path: '/metadata/labels', value: { team: 'a' } },
    ]);
    expect(answer.response.warnings).toEqual(['label team set']);
  });

  it('does not mutate deletions', async () => {
    const answer = (
      await post(
        '/mutate/labels',
        review({}, { operation: 'DELETE', object: null, oldObject: { metadata: { name: 'a' } } }),
      )
    ).json<AdmissionReview>();
    expect(answer.response).toEqual({ uid: 'u-1', allowed: true });
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"apiVersion": ', /Unexpected end of JSON|Body is not valid JSON/],
    ['a JSON array', [], /not a JSON object/],
    [
      'another apiVersion',
      { ...review({}), apiVersion: 'admission.k8s.io/v1beta1' },
      /only admission.k8s.io\/v1 is served/,
    ],
    ['another kind', { ...review({}), kind: 'Pod' }, /expected AdmissionReview/],
    [
      'no request.uid',
      { ...review({}), request: { ...review({}).request, uid: undefined } },
      /request.uid is missing/,
    ],
    ['an unknown operation', review({}, { operation: 'PATCH' }), /request.operation "PATCH"/],
    [
      'an object nested too deep to clone',
      JSON.stringify(review({})).replace('"object":{}', `"object":${'['.repeat(5000)}${']'.repeat(5000)}`),
      /nests objects deeper than 1000 levels/,
    ],
  ])('answers 400 for %s', async (_what, payload, message) => {
    const res = await post(
      '/validate/names',
      typeof payload === 'string' ? payload : JSON.stringify(payload),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ kind: 'Status', code: 400, message: expect.stringMatching(message) });
  });

  it('refuses bodies over 4 MiB with 413', async () => {
    const big = JSON.stringify(review({ data: { blob: 'x'.repeat(4 * 1024 * 1024) } }));
    const res = await post('/validate/names', big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
  });

  it('refuses other content types with 415 and unknown paths with 404', async () => {
    expect((await post('/validate/names', 'x', { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await post('/validate/nothing', JSON.stringify(review({})))).statusCode).toBe(404);
  });
});
