import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { ApiError } from '../../../../server/api-error.ts';
import {
  actionFixture,
  DEV,
  LOYALTY_PATTERN,
  type ActionFixture,
} from '../../../../test/support/prism/action-fixture.ts';
import { nativeError, seedAnswer } from './action-errors.ts';
import { CommandRunner } from './command-runner.ts';
import { PatternResolution } from './pattern-resolution.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const context = { kind: 'CommandExecution', name: 'run', patternField: 'spec.action' };

describe('CommandRunner (kappnav-prism.md §5.1, §5.2)', () => {
  let f: ActionFixture;
  let runner: CommandRunner;
  beforeEach(async () => {
    f = await actionFixture(sandbox);
    runner = new CommandRunner(f.deps);
  });
  const application = { namespace: 'shop', name: 'stock-trader' };
  const trader = { kind: 'Deployment', name: 'trader' };

  it('creates the Job of an application command for the authenticated user', async () => {
    const [job] = await runner.run(DEV, { application, action: 'pi', input: undefined }, false);
    expect(f.calls).toEqual(['POST /apis/batch/v1/namespaces/kappnav/jobs']);
    expect(job!.metadata).toMatchObject({
      namespace: 'kappnav',
      labels: {
        'kappnav-job-type': 'command',
        'kappnav-job-action-name': 'pi',
        'kappnav-job-application-name': 'stock-trader',
        'kappnav-job-application-namespace': 'shop',
        'kappnav-job-application-scope': 'true',
      },
      annotations: { 'kappnav-job-action-text': 'Calculate PI', 'kappnav-job-user-id': 'dev' },
    });
    expect((job as { spec: { template: { spec: object } } }).spec.template.spec).toMatchObject({
      serviceAccountName: 'kappnav-sa',
      containers: [{ image: 'busybox', command: ['echo', 'stock-trader'] }],
    });
  });

  it('creates one Job per pod for a component command with valid input; dry run creates none', async () => {
    const request = { application, component: trader, action: 'trace', input: '{"spec": "a=b"}' };
    const jobs = await runner.run(DEV, request, true);
    expect(
      jobs.map(
        (j) =>
          (j as { spec: { template: { spec: { containers: { command: string[] }[] } } } }).spec.template.spec
            .containers[0]!.command,
      ),
    ).toEqual([
      ['trace', 'a=b', 'path:podName:string', 'p1'],
      ['trace', 'a=b', 'path:podName:string', 'p2'],
    ]);
    expect(jobs[0]!.metadata?.labels).toMatchObject({
      'kappnav-job-component-kind': 'Deployment',
      'kappnav-job-component-name': 'trader',
      'kappnav-job-component-namespace': 'shop',
    });
    expect(f.calls).toEqual(Array(2).fill('POST /apis/batch/v1/namespaces/kappnav/jobs dryRun'));
    expect(f.jobs.items).toEqual([]);
  });

  it.each([
    ['{"spec": "nothing"}', 'spec.input.spec', 'The field is invalid. Reason: expected a=b', 422],
    ['{"spec": "a=b", "x": "1"}', 'spec.input.x', 'The field was specified but was not expected.', 422],
    ['["a"]', 'spec.input', 'It is expected to be a map.', 422],
    ['{"spec": ', undefined, 'syntax', 422],
  ])(
    'answers input %s with 422 (native on %s) and the seed 422',
    async (input, field, message, seedStatus) => {
      const error = await failure(
        runner.run(DEV, { application, component: trader, action: 'trace', input }, false),
      );
      const native = nativeError(error, context) as ApiError;
      if (field) {
        expect(native.code).toBe(422);
        expect(native.details?.causes?.[0]).toMatchObject({ field });
      } else expect(native.code).toBe(400);
      expect(seedAnswer(error)?.status).toBe(seedStatus);
      expect(`${native.message} ${seedAnswer(error)?.body.message}`).toMatch(
        message === 'syntax' ? /syntax-error/ : message,
      );
    },
  );

  it('refuses a resource that is not a component, an unknown action, and an unresolvable cmd-pattern', async () => {
    const notComponent = await failure(
      runner.run(
        DEV,
        {
          application,
          component: { kind: 'Deployment', name: 'unrelated' },
          action: 'trace',
          input: undefined,
        },
        false,
      ),
    );
    expect((nativeError(notComponent, context) as ApiError).message).toContain(
      'is not a component of application shop/stock-trader',
    );
    const unknown = await failure(runner.run(DEV, { application, action: 'nope', input: undefined }, false));
    expect((nativeError(unknown, context) as ApiError).code).toBe(404);
    expect(seedAnswer(unknown)).toEqual({
      status: 207,
      body: { message: 'input-error: Command action nope is not found in config map.' },
    });
    const broken = await failure(runner.run(DEV, { application, action: 'broken', input: undefined }, false));
    const native = nativeError(broken, context) as ApiError;
    expect([native.code, native.details?.causes?.[0]?.field]).toEqual([422, 'spec.action']);
    expect(native.message).toContain('${oops}');
    expect(f.calls).toEqual([]);
  });

  it('answers 403 when the user may not get the application', async () => {
    f.policy.allow = (_user, attributes) => attributes.resource !== 'applications';
    const error = await failure(runner.run(DEV, { application, action: 'pi', input: undefined }, false));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(403);
    expect(seedAnswer(error)).toBeUndefined();
  });
});

describe('PatternResolution (kappnav-prism.md §1.4.3)', () => {
  let f: ActionFixture;
  let resolution: PatternResolution;
  beforeEach(async () => {
    f = await actionFixture(sandbox);
    resolution = new PatternResolution(f.deps);
  });
  const resource = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'trader' };

  it('resolves the loyalty pattern through kubectlGet and a snippet of the action map', async () => {
    expect(await resolution.resolve(DEV, { resource, pattern: LOYALTY_PATTERN, input: {} })).toBe(
      'http://trader.example.com',
    );
    expect(await resolution.resolve(DEV, { resource, pattern: 'x=${input.x}', input: { x: '1' } })).toBe(
      'x=1',
    );
  });

  it('checks every read for the user: 403 naming the Route the user may not get', async () => {
    f.policy.allow = (_user, attributes) => attributes.resource !== 'routes';
    const error = (await failure(
      resolution.resolve(DEV, { resource, pattern: LOYALTY_PATTERN, input: {} }),
    )) as ApiError;
    expect(error.code).toBe(403);
    expect(error.message).toContain('cannot get resource "routes" in API group "route.openshift.io"');
  });

  it('refuses a token without a resolver prefix, naming it, and an unknown resource', async () => {
    const error = await failure(resolution.resolve(DEV, { resource, pattern: 'a ${noprefix} b', input: {} }));
    const native = nativeError(error, { ...context, patternField: 'spec.pattern' }) as ApiError;
    expect([native.code, native.details?.causes?.[0]?.field]).toEqual([422, 'spec.pattern']);
    expect(native.message).toContain('${noprefix} cannot be resolved');
    const missing = await failure(
      resolution.resolve(DEV, { resource: { ...resource, name: 'ghost' }, pattern: '', input: {} }),
    );
    expect((nativeError(missing, context) as ApiError).code).toBe(404);
    expect(seedAnswer(missing)).toEqual({
      status: 207,
      body: { message: 'input-error: Deployment shop/ghost is Not Found' },
    });
    const kind = await failure(
      resolution.resolve(DEV, { resource: { kind: 'Gizmo', name: 'x' }, pattern: '', input: {} }),
    );
    expect((nativeError(kind, context) as ApiError).details?.causes?.[0]?.field).toBe('spec.resource.kind');
  });
});
