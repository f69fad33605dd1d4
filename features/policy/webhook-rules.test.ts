import { describe, expect, it } from 'vitest';
import { compiled } from '../../test/support/policy/policy-fixtures.ts';
import { webhookRules } from './webhook-rules.ts';

const served = new Map([
  ['/ConfigMap', [{ resource: 'configmaps' }]],
  ['apps/Deployment', [{ resource: 'deployments' }]],
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
});
