import { describe, expect, it } from 'vitest';
import type { CommandError } from './command-error.ts';
import { buildCommandJob, commandJobLabels, fanOutCommands, MAX_COMMAND_JOBS } from './command-job.ts';

const sequence = () => {
  let n = 0;
  return () => `uuid-${++n}`;
};

const app = {
  apiVersion: 'app.k8s.io/v1beta1',
  kind: 'Application',
  metadata: { name: 'testcmd', namespace: 'apps' },
};
const component = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'apps', annotations: { 'kappnav.subkind': 'Liberty' } },
};

describe('buildCommandJob (kappnav-prism.md §5.1)', () => {
  it('builds the application-scope Job exactly', () => {
    expect(
      buildCommandJob({
        target: { scope: 'application', application: app },
        actionName: 'testcmdapp',
        actionText: 'Test app command',
        image: 'busybox',
        command: ['sh', '-c', 'echo', 'hi'],
        user: 'alice',
        placement: { namespace: 'kappnav', serviceAccountName: 'kappnav-sa' },
        newUuid: sequence(),
      }),
    ).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'kappnav-uuid-1',
        namespace: 'kappnav',
        labels: {
          'kappnav-job-type': 'command',
          'kappnav-job-action-name': 'testcmdapp',
          'kappnav-job-application-name': 'testcmd',
          'kappnav-job-application-namespace': 'apps',
          'kappnav-job-application-scope': 'true',
        },
        annotations: { 'kappnav-job-action-text': 'Test app command', 'kappnav-job-user-id': 'alice' },
      },
      spec: {
        backoffLimit: 4,
        template: {
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: 'kappnav-sa',
            securityContext: { runAsNonRoot: true, runAsUser: 1001 },
            containers: [{ name: 'kappnav-uuid-2', image: 'busybox', command: ['sh', '-c', 'echo', 'hi'] }],
          },
        },
      },
    });
  });

  it('labels component-scope Jobs with the component, its lower-cased sub-kind and the application', () => {
    expect(
      commandJobLabels(
        { scope: 'component', application: { name: 'testcmd', namespace: 'apps' }, component },
        'testcmdcomp',
      ),
    ).toEqual({
      'kappnav-job-type': 'command',
      'kappnav-job-action-name': 'testcmdcomp',
      'kappnav-job-application-name': 'testcmd',
      'kappnav-job-application-namespace': 'apps',
      'kappnav-job-component-kind': 'ConfigMap',
      'kappnav-job-component-sub-kind': 'liberty',
      'kappnav-job-component-name': 'settings',
      'kappnav-job-component-namespace': 'apps',
    });
    const plain = { ...component, metadata: { name: 'settings', namespace: 'apps' } };
    expect(
      commandJobLabels(
        { scope: 'component', application: { name: 'a', namespace: 'b' }, component: plain },
        'c',
      ),
    ).not.toHaveProperty('kappnav-job-component-sub-kind');
  });

  it('leaves out empty text and user annotations, and names Jobs kappnav-<uuid>', () => {
    const job = buildCommandJob({
      target: { scope: 'application', application: app },
      actionName: 'a',
      actionText: '',
      image: 'i',
      command: [],
      user: undefined,
      placement: { namespace: 'kappnav', serviceAccountName: 'sa' },
    });
    expect(job.metadata).not.toHaveProperty('annotations');
    expect(job.metadata?.name).toMatch(
      /^kappnav-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("places a tenant's command in its namespace under the namespace's default account", () => {
    const job = buildCommandJob({
      target: { scope: 'application', application: app },
      actionName: 'a',
      actionText: undefined,
      image: 'i',
      command: ['x'],
      user: 'bob',
      placement: { namespace: 'apps' },
    });
    expect(job.metadata?.namespace).toBe('apps');
    const podSpec = (job.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(podSpec).not.toHaveProperty('serviceAccountName');
    expect(podSpec['securityContext']).toEqual({ runAsNonRoot: true, runAsUser: 1001 });
  });
});

/** Arguments as written and as resolved, when they are the same. */
const literal = (args: string[]) => fanOutCommands(args, args);

describe('fanOutCommands (kappnav-prism.md §5.1 step 7)', () => {
  it('makes one command per pod after path:podName:string', () => {
    expect(literal(['collect', 'path:podName:string', 'p1,p2', '--verbose'])).toEqual([
      ['collect', 'path:podName:string', 'p1', '--verbose'],
      ['collect', 'path:podName:string', 'p2', '--verbose'],
    ]);
  });

  it('keeps one command without the marker, without a list after it, or with an empty list', () => {
    expect(literal(['sh', '-c', 'echo'])).toEqual([['sh', '-c', 'echo']]);
    expect(literal(['collect', 'path:podName:string'])).toEqual([['collect', 'path:podName:string']]);
    expect(literal(['collect', 'path:podName:string', ','])).toEqual([
      ['collect', 'path:podName:string', ','],
    ]);
  });
});

describe('fanOutCommands bounds (issue 15, finding 2)', () => {
  const refusal = (patterns: string[], args: string[]) => {
    try {
      fanOutCommands(patterns, args);
    } catch (error) {
      return error as CommandError;
    }
    throw new Error('not refused');
  };

  it(`creates at most ${MAX_COMMAND_JOBS} Jobs, refusing more whole`, () => {
    const pods = (n: number) => Array.from({ length: n }, (_, i) => `pod-${i}`).join(',');
    expect(literal(['c', 'path:podName:string', pods(MAX_COMMAND_JOBS)])).toHaveLength(MAX_COMMAND_JOBS);
    const error = refusal(
      ['c', 'path:podName:string', '${input.pods}'],
      ['c', 'path:podName:string', pods(25)],
    );
    expect(error).toMatchObject({ reason: 'fan-out-limit', inputFault: true });
    expect(error.message).toBe(
      `the command would run as 25 Jobs, one per pod listed after path:podName:string; at most ${MAX_COMMAND_JOBS} are created for one request`,
    );
  });

  it('runs a pod listed twice once', () => {
    expect(literal(['c', 'path:podName:string', 'p1,p1,p2,p1'])).toEqual([
      ['c', 'path:podName:string', 'p1'],
      ['c', 'path:podName:string', 'p2'],
    ]);
  });

  it.each(['--rm', 'a b', 'P1', '../x', 'x'.repeat(254)])('refuses %j as a pod name', (name) => {
    const error = refusal(
      ['c', 'path:podName:string', '${input.pods}'],
      ['c', 'path:podName:string', `p1,${name}`],
    );
    expect(error).toMatchObject({ reason: 'pod-name-invalid', inputFault: true });
    expect(error.message).toContain(JSON.stringify(name));
  });

  it("takes only the pattern's own text as the marker, never a substituted value", () => {
    expect(fanOutCommands(['c', '${input.m}', '${input.p}'], ['c', 'path:podName:string', 'p1,p2'])).toEqual([
      ['c', 'path:podName:string', 'p1,p2'],
    ]);
  });
});
