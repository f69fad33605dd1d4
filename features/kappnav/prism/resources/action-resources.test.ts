import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { startActionApi, type ActionFixture } from '../../../../test/support/prism/action-fixture.ts';
import { DEVELOPER, type Fixture } from '../../../../test/support/aggregated-api/pipeline-fixture.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());

const ROOT = '/apis/prism.kappnav.io/v1';
const OTHER = { 'x-test-user': 'other', 'x-test-groups': 'developers' };

describe('the action resources through the pipeline', () => {
  let f: ActionFixture;
  let api: Fixture;
  beforeEach(async () => {
    ({ f, api } = await startActionApi(sandbox));
  });
  afterEach(() => api.app.close());
  const get = (path: string, headers: Record<string, string> = DEVELOPER) =>
    api.app.inject({ url: `${ROOT}${path}`, headers });
  const post = (path: string, body: object, headers: Record<string, string> = DEVELOPER) =>
    api.app.inject({ method: 'POST', url: `${ROOT}${path}`, headers, payload: body });

  it('serves the action map of a resource with its candidates and merged maps; ?locale= translates', async () => {
    const map = (await get('/namespaces/shop/actionmaps/deployment.apps:trader')).json();
    expect(map.status.candidateMaps).toEqual([
      'shop.actions.deployment.trader@shop',
      'kappnav.actions.deployment@kappnav',
    ]);
    expect(map.status.mergedMaps).toEqual(map.status.candidateMaps);
    expect(map.status.actionMap['cmd-actions'].map((a: { name: string }) => a.name)).toEqual(['trace']);
    const names = (await get('/namespaces/shop/actionmaps'))
      .json()
      .items.map((m: { metadata: { name: string } }) => m.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'application.app.k8s.io:stock-trader',
        'deployment.apps:portfolio',
        'service:trader',
      ]),
    );
    const translated = (await get('/namespaces/shop/actionmaps/deployment.apps:trader?locale=ja')).json();
    const detail = translated.status.actionMap['url-actions'].find(
      (a: { name: string }) => a.name === 'detail',
    );
    expect(detail).toMatchObject({ text: 'View Detail', 'text.nls': 'action.url.deployment.detail.text' });
    // An instance action without text or key is left as it is; the stored object is not changed.
    expect(translated.status.actionMap['url-actions'][0]).toEqual(map.status.actionMap['url-actions'][0]);
    expect((await get('/namespaces/shop/actionmaps/deployment.apps:ghost')).statusCode).toBe(404);
  });

  it('resolves a pattern as the user, 422 naming the token or the field, 403 for a read the user may not make', async () => {
    const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'trader' };
    const resolve = (spec: object) =>
      post('/actionresolutions', {
        apiVersion: 'prism.kappnav.io/v1',
        kind: 'ActionResolution',
        metadata: { name: 'r' },
        spec,
      });
    const ok = await resolve({ resource, pattern: 'n=${resource.$.metadata.name}' });
    expect([ok.statusCode, ok.json().status]).toEqual([201, { action: 'n=trader' }]);
    const bad = (await resolve({ resource, pattern: '${func.kubectlGet(pods,-o,wide)}' })).json();
    expect(bad).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { causes: [{ field: 'spec.pattern' }] },
    });
    expect(bad.message).toContain('the output format "wide" is not supported');
    const invalid = (await resolve({ resource: { kind: 'Deployment' }, input: 'x' })).json();
    expect(invalid.details.causes.map((c: { field: string }) => c.field)).toEqual([
      'spec.resource.name',
      'spec.pattern',
      'spec.input',
    ]);
    f.policy.allow = (_user, attributes) => attributes.resource !== 'pods';
    const denied = await resolve({ resource, pattern: '${func.kubectlGet(pods,-o,name)}' });
    expect([denied.statusCode, denied.json().reason]).toEqual([403, 'Forbidden']);
  });

  it('runs commands, lists them for their user only, filters by completion time, and deletes them', async () => {
    const run = (headers: Record<string, string>) =>
      post(
        '/namespaces/shop/commandexecutions',
        {
          kind: 'CommandExecution',
          metadata: { generateName: 'pi-' },
          spec: { application: 'stock-trader', action: 'pi' },
        },
        headers,
      );
    const created = await run(DEVELOPER);
    expect(created.statusCode).toBe(201);
    const execution = created.json();
    expect(execution.metadata.name).toMatch(/^pi-\w{5}$/);
    expect(execution.status.user).toBe('dev');
    const [job] = execution.status.jobs;
    await run(OTHER);
    // Neither may list Jobs in the kappnav namespace, so each sees only its own command. The pipeline's
    // reviewer decides the reads of the served objects; it follows the same policy.
    f.policy.allow = (_user, attributes) => attributes.resource !== 'jobs';
    api.allow = (user, attributes) =>
      !('resource' in attributes) || f.policy.allow(user, attributes.resource);
    const names = async (headers: Record<string, string>, query = '') =>
      (await get(`/commands${query}`, headers))
        .json()
        .items.map((c: { metadata: { name: string } }) => c.metadata.name);
    expect(await names(DEVELOPER)).toEqual([job.name]);
    expect((await get(`/commands/${f.jobs.items[1]!.metadata!.name}`)).statusCode).toBe(403);
    const command = (await get(`/commands/${job.name}`)).json();
    expect(command.spec).toMatchObject({
      action: 'pi',
      actionText: 'Calculate PI',
      user: 'dev',
      application: { namespace: 'shop', name: 'stock-trader' },
    });
    expect(command.status.phase).toBe('Pending');
    expect(command.status.actionMap['url-actions'].map((a: { name: string }) => a.name)).toEqual([
      'detail',
      'joblogs',
    ]);
    expect(await names(DEVELOPER, '?fieldSelector=spec.user%3Dnobody')).toEqual([]);
    expect(await names(DEVELOPER, '?completedAfter=2024-01-01T00:00:00.000Z')).toEqual([]);
    f.jobs.items[0] = {
      ...f.jobs.items[0]!,
      status: { completionTime: '2024-01-01T00:00:01Z', conditions: [{ type: 'Complete', status: 'True' }] },
    };
    f.jobs.changed();
    expect(await names(DEVELOPER, '?completedAfter=2024-01-01T00:00:00.000Z')).toEqual([job.name]);
    expect((await get(`/commands/${job.name}`)).json().status.phase).toBe('Succeeded');
    const malformed = await get('/commands?completedAfter=soon');
    expect([malformed.statusCode, malformed.json().message]).toEqual([
      400,
      expect.stringContaining("The correct format is yyyy-MM-dd'T'HH:mm:sss"),
    ]);
    const deleted = await api.app.inject({
      method: 'DELETE',
      url: `${ROOT}/commands/${job.name}`,
      headers: DEVELOPER,
    });
    expect([deleted.statusCode, deleted.json().status]).toEqual([200, 'Success']);
    expect(f.calls.at(-1)).toBe(`DELETE /apis/batch/v1/namespaces/kappnav/jobs/${job.name}`);
    expect(await names(DEVELOPER)).toEqual([]);
  });

  it('answers 422 for a command input that is not a map, and 403 without get on the application', async () => {
    const run = (spec: object) =>
      post('/namespaces/shop/commandexecutions', { kind: 'CommandExecution', metadata: { name: 'x' }, spec });
    const invalid = (
      await run({
        application: 'stock-trader',
        component: { kind: 'Deployment', name: 'trader' },
        action: 'trace',
        input: 'a=b',
      })
    ).json();
    expect(invalid).toMatchObject({ code: 422, details: { causes: [{ field: 'spec.input' }] } });
    expect((await run({ action: 'pi' })).json().details.causes).toEqual([
      expect.objectContaining({ field: 'spec.application' }),
    ]);
    f.policy.allow = (_user, attributes) => attributes.resource !== 'applications';
    expect((await run({ application: 'stock-trader', action: 'pi' })).statusCode).toBe(403);
  });

  it('previews the maps a resource would get, if the user may read those maps', async () => {
    const preview = (spec: object) =>
      post('/mappingpreviews', { kind: 'MappingPreview', metadata: { name: 'p' }, spec });
    const answer = (
      await preview({
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trader', namespace: 'shop' },
      })
    ).json();
    expect(answer.status.candidateMaps).toEqual([
      'shop.actions.deployment.trader@shop',
      'kappnav.actions.deployment@kappnav',
    ]);
    expect(answer.status.map['cmd-actions']).toHaveLength(1);
    const status = (
      await preview({ type: 'status-mapping', resource: { apiVersion: 'apps/v1', kind: 'Deployment' } })
    ).json();
    expect(status.status.candidateMaps).toEqual(['kappnav.status-mapping.deployment@kappnav']);
    expect(
      (await preview({ type: 'nope', resource: {} }))
        .json()
        .details.causes.map((c: { field: string }) => c.field),
    ).toEqual(['spec.type', 'spec.resource.kind']);
    f.policy.allow = (_user, attributes) =>
      attributes.resource !== 'configmaps' || attributes.namespace !== 'shop';
    expect(
      (
        await preview({
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trader', namespace: 'shop' },
        })
      ).statusCode,
    ).toBe(403);
  });

  describe('namespaced variants (issue 15, finding 12)', () => {
    const resolve = (namespace: string, resource: object) =>
      post(`/namespaces/${namespace}/localactionresolutions`, {
        kind: 'LocalActionResolution',
        metadata: { name: 'r' },
        spec: { resource, pattern: '${resource.$.metadata.namespace}/${resource.$.metadata.name}' },
      });

    it('resolves against a resource of the namespace of the request, its namespace left out or written', async () => {
      for (const resource of [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trader' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trader', namespace: 'shop' },
      ]) {
        const answer = await resolve('shop', resource);
        expect(answer.statusCode).toBe(201);
        expect(answer.json()).toMatchObject({
          kind: 'LocalActionResolution',
          metadata: { name: 'r', namespace: 'shop' },
          spec: { resource: { namespace: 'shop' } },
          status: { action: 'shop/trader' },
        });
      }
    });

    it('refuses a resource of another namespace, and a cluster-scoped one, naming the field', async () => {
      const elsewhere = (
        await resolve('shop', { kind: 'Deployment', name: 'loyalty', namespace: 'other' })
      ).json();
      expect(elsewhere.code).toBe(422);
      expect(elsewhere.message).toMatch(
        /^LocalActionResolution\S* "r" is invalid: spec.resource.namespace: Invalid value: "other": must match metadata.namespace$/,
      );
      const cluster = (await resolve('shop', { apiVersion: 'v1', kind: 'Namespace', name: 'shop' })).json();
      expect(cluster).toMatchObject({ code: 422, details: { causes: [{ field: 'spec.resource.kind' }] } });
      expect(cluster.message).toContain('Namespace is cluster-scoped');
    });

    it("previews the maps of a resource like it in the request's namespace", async () => {
      const answer = (
        await post('/namespaces/shop/localmappingpreviews', {
          kind: 'LocalMappingPreview',
          metadata: { name: 'p' },
          spec: { resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'trader' } },
        })
      ).json();
      expect(answer.status.candidateMaps).toEqual([
        'shop.actions.deployment.trader@shop',
        'kappnav.actions.deployment@kappnav',
      ]);
    });
  });
});
