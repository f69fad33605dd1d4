import { describe, expect, it } from 'vitest';
import { compilePolicy } from './engine/policy.ts';
import { compiled, policyResource } from '../../test/support/policy/policy-fixtures.ts';
import { clusterScopedKinds, webhookRules } from './webhook-rules.ts';

const served = new Map([
  ['/ConfigMap', [{ resource: 'configmaps', namespaced: true }]],
  ['apps/Deployment', [{ resource: 'deployments', namespaced: true }]],
  ['/Namespace', [{ resource: 'namespaces', namespaced: false }]],
]);
const discovery = {
  versionsOfKind: (group: string, kind: string) => (served.get(`${group}/${kind}`) ?? []) as never[],
};
const rule = { validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }] };

describe('webhookRules', () => {
  it('names exactly the resources of the kinds policies name, with their operations', () => {
    const a = compiled({ ...rule, match: { resources: [{ apiGroups: [''], kinds: ['ConfigMap'] }] } }, 'a');
    const b = compiled(
      {
        ...rule,
        match: {
          resources: [
            { apiGroups: ['apps'], kinds: ['Deployment'] },
            { apiGroups: [''], kinds: ['ConfigMap'] },
          ],
          operations: ['DELETE'],
        },
      },
      'b',
    );
    expect(webhookRules([a, b], discovery)).toEqual({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['*'],
          resources: ['configmaps'],
          operations: ['CREATE', 'DELETE', 'UPDATE'],
        },
        { apiGroups: ['apps'], apiVersions: ['*'], resources: ['deployments'], operations: ['DELETE'] },
      ],
      unresolved: [],
    });
  });

  it('leaves out kinds the API server does not serve, and reports them', () => {
    const policy = compiled({
      ...rule,
      match: { resources: [{ apiGroups: ['example.com'], kinds: ['Widget'] }] },
    });
    expect(webhookRules([policy], discovery)).toEqual({ rules: [], unresolved: ['example.com/Widget'] });
    expect(webhookRules([], discovery).rules).toEqual([]);
  });

  it('never registers cluster-scoped kinds for a namespaced AdmissionPolicy, and names them', () => {
    const result = compilePolicy(
      policyResource(
        {
          ...rule,
          match: {
            resources: [
              { apiGroups: [''], kinds: ['Namespace', 'ConfigMap'] },
              { apiGroups: ['example.com'], kinds: ['Widget'] },
            ],
          },
        },
        'in-dev',
        'AdmissionPolicy',
        'dev',
      ),
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(webhookRules([result.policy], discovery)).toEqual({
      rules: [
        {
          apiGroups: [''],
          apiVersions: ['*'],
          resources: ['configmaps'],
          operations: ['CREATE', 'UPDATE'],
        },
      ],
      unresolved: ['example.com/Widget'],
    });
    expect(clusterScopedKinds(result.policy, discovery)).toEqual(['/Namespace']);
    const cluster = compiled({ ...rule, match: { resources: [{ apiGroups: [''], kinds: ['Namespace'] }] } });
    expect(webhookRules([cluster], discovery).rules[0]?.resources).toEqual(['namespaces']);
    expect(clusterScopedKinds(cluster, discovery)).toEqual([]);
  });
});
