import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import {
  LOYALTY_PATTERN,
  startActionApi,
  type ActionFixture,
} from '../../../../test/support/prism/action-fixture.ts';
import { DEVELOPER, type Fixture } from '../../../../test/support/aggregated-api/pipeline-fixture.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());

const BASE = '/apis/prism.kappnav.io/v1/kappnav/api';

describe("the seed's action, command and KindActionMapping shapes", () => {
  let f: ActionFixture;
  let api: Fixture;
  beforeEach(async () => {
    ({ f, api } = await startActionApi(sandbox));
  });
  afterEach(() => api.app.close());
  const request = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: string) =>
    api.app.inject({
      method,
      url: `${BASE}${path}`,
      headers: { ...DEVELOPER, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    });
  const answer = async (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: string) => {
    const response = await request(method, path, payload);
    return { status: response.statusCode, body: response.json() };
  };

  it('resolves {"action": …}; pattern errors are 207 pattern-error naming the token', async () => {
    expect(
      await answer(
        'GET',
        `/resource/trader/Deployment?namespace=shop&action-pattern=${encodeURIComponent(LOYALTY_PATTERN)}`,
      ),
    ).toEqual({
      status: 200,
      body: { action: 'http://trader.example.com' },
    });
    expect(
      await answer('GET', '/resource/trader/Deployment?namespace=shop&action-pattern=%24%7Bbad.x%7D'),
    ).toEqual({
      status: 207,
      body: { message: 'pattern-error: can not find the resolver for ${bad.x}' },
    });
    expect((await answer('GET', '/resource/trader/Deployment?action-pattern=x')).body).toEqual({
      message: 'input-error: Deployment default/trader is Not Found',
    });
  });

  it('executes for the authenticated user, answers the Job, 422 for user input, and needs create commandexecutions', async () => {
    const job = await answer(
      'POST',
      '/resource/stock-trader/execute/command/pi?namespace=shop&apiVersion=default',
      '',
    );
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({
      kind: 'Job',
      metadata: { annotations: { 'kappnav-job-user-id': 'dev' } },
    });
    const component =
      '/resource/stock-trader/trader/Deployment/execute/command/trace?namespace=shop&application-namespace=shop';
    const fanOut = await answer('POST', component, '{"spec": "a=b"}');
    expect(fanOut.body.spec.template.spec.containers[0].command).toEqual([
      'trace',
      'a=b',
      'path:podName:string',
      'p2',
    ]);
    expect(await answer('POST', component, '{"spec": "x"}')).toEqual({
      status: 422,
      body: { message: 'validation-error: The field is invalid. Reason: expected a=b on field name: spec' },
    });
    const malformed = await answer('POST', component, '{"spec": ');
    expect([malformed.status, malformed.body.message]).toEqual([
      422,
      expect.stringMatching(/^syntax-error: /),
    ]);
    f.policy.allow = (_user, attributes) => attributes.resource !== 'commandexecutions';
    const denied = await answer('POST', '/resource/stock-trader/execute/command/pi?namespace=shop');
    expect([denied.status, denied.body.kind, denied.body.message]).toEqual([
      403,
      'Status',
      expect.stringContaining('cannot create resource "commandexecutions"'),
    ]);
  });

  it("queries the user's commands with the Job action map, tells the time, deletes", async () => {
    await answer('POST', '/resource/stock-trader/execute/command/pi?namespace=shop');
    const [job] = f.jobs.items;
    const query = await answer('GET', '/resource/commands');
    expect(
      query.body.commands.map(
        (c: { kind: string; metadata: { name: string } }) => `${c.kind}/${c.metadata.name}`,
      ),
    ).toEqual([`Job/${job!.metadata!.name}`]);
    expect(query.body['action-map']['url-actions'].map((a: { name: string }) => a.name)).toEqual([
      'detail',
      'joblogs',
    ]);
    expect((await answer('GET', '/resource/commands?user=other')).body).toEqual({ commands: [] });
    const time = (await answer('GET', '/resource/command-time')).body.time;
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect((await answer('GET', `/resource/commands?time=${time}`)).body).toEqual({ commands: [] });
    expect((await answer('GET', '/resource/commands?time=never')).status).toBe(207);
    expect(await answer('DELETE', `/resource/command/${job!.metadata!.name}`)).toEqual({
      status: 200,
      body: { message: 'OK' },
    });
    expect((await answer('DELETE', `/resource/command/${job!.metadata!.name}`)).status).toBe(207);
  });

  it('previews KindActionMapping candidates for an identity and for a live resource', async () => {
    const preview = await answer(
      'GET',
      '/kindactionmapping/Deployment?apiversion=apps/v1&name=trader&namespace=shop',
    );
    expect(preview.body['candidate-maps']).toEqual([
      'shop.actions.deployment.trader@shop',
      'kappnav.actions.deployment@kappnav',
    ]);
    expect(
      (await answer('GET', '/kindactionmapping/resources/trader/Deployment?namespace=shop')).body,
    ).toEqual(preview.body);
    expect((await answer('GET', '/kindactionmapping/Deployment?type=sections')).body).toEqual({
      'candidate-maps': ['kappnav.sections.deployment@kappnav'],
      map: null,
    });
    expect(await answer('GET', '/kindactionmapping/Deployment?type=nope')).toEqual({
      status: 207,
      body: { message: 'Invalid configMap type: nope' },
    });
  });
});
