import { describe, expect, it } from 'vitest';
import { buildCommandJob, commandJobLabels, fanOutCommands } from './command-job.ts';

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
        serviceAccountName: 'kappnav-sa',
        kappnavNamespace: 'kappnav',
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
      serviceAccountName: 'sa',
      kappnavNamespace: 'kappnav',
    });
    expect(job.metadata).not.toHaveProperty('annotations');
    expect(job.metadata?.name).toMatch(
      /^kappnav-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('fanOutCommands (kappnav-prism.md §5.1 step 7)', () => {
  it('makes one command per pod after path:podName:string', () => {
    expect(fanOutCommands(['collect', 'path:podName:string', 'p1,p2', '--verbose'])).toEqual([
      ['collect', 'path:podName:string', 'p1', '--verbose'],
      ['collect', 'path:podName:string', 'p2', '--verbose'],
    ]);
  });

  it('keeps one command without the marker, without a list after it, or with an empty list', () => {
    expect(fanOutCommands(['sh', '-c', 'echo'])).toEqual([['sh', '-c', 'echo']]);
    expect(fanOutCommands(['collect', 'path:podName:string'])).toEqual([['collect', 'path:podName:string']]);
    expect(fanOutCommands(['collect', 'path:podName:string', ','])).toEqual([
      ['collect', 'path:podName:string', ','],
    ]);
  });
});
