import { describe, expect, it } from 'vitest';
import { compiled, policyResource } from '../../test/support/policy/policy-fixtures.ts';
import { policyStatus } from './status-writer.ts';

const summary = { pass: 3, fail: 2, warn: 0, error: 1 };

describe('policyStatus', () => {
  it('says a compiled policy is in effect and carries the audit counts the printer columns show', () => {
    const policy = compiled({
      action: 'Enforce',
      validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }],
    });
    const status = policyStatus({
      policy: { key: 'k', resource: policy.resource, compiled: policy, problems: [] },
      summary,
      unresolvedKinds: [],
      lastAudit: '2026-01-01T00:00:00Z',
    });
    expect(status).toEqual({
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Compiled',
          message: 'Enforce: in effect',
          observedGeneration: 1,
        },
      ],
      audit: { ...summary, lastRun: '2026-01-01T00:00:00Z' },
    });
  });

  it('says why a policy has no effect: it does not compile, or its kinds are not served', () => {
    const resource = policyResource({});
    const invalid = policyStatus({
      policy: { key: 'k', resource, problems: ['a', 'b'] },
      summary,
      unresolvedKinds: [],
    });
    expect(invalid['conditions']).toMatchObject([{ status: 'False', reason: 'Invalid', message: 'a; b' }]);
    const policy = compiled({ validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }] });
    const unserved = policyStatus({
      policy: { key: 'k', resource, compiled: policy, problems: [] },
      summary,
      unresolvedKinds: ['/ConfigMap'],
    });
    expect(unserved['conditions']).toMatchObject([
      {
        status: 'False',
        reason: 'KindsNotServed',
        message: 'the API server serves no resource for /ConfigMap',
      },
    ]);
  });

  it('says a namespaced AdmissionPolicy has no effect on the cluster-scoped kinds it names', () => {
    const policy = compiled({ validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }] });
    const stored = { key: 'k', resource: policy.resource, compiled: policy, problems: [] };
    const only = policyStatus({
      policy: stored,
      summary,
      unresolvedKinds: [],
      clusterScopedKinds: ['/ConfigMap'],
    });
    expect(only['conditions']).toMatchObject([
      {
        status: 'False',
        reason: 'ClusterScopedKinds',
        message:
          'an AdmissionPolicy applies only to namespaced objects of its own namespace, and /ConfigMap is cluster-scoped: use a ClusterAdmissionPolicy',
      },
    ]);
    const twoKinds = compiled({
      match: { resources: [{ apiGroups: [''], kinds: ['ConfigMap', 'Namespace'] }] },
      validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }],
    });
    const some = policyStatus({
      policy: { ...stored, compiled: twoKinds },
      summary,
      unresolvedKinds: [],
      clusterScopedKinds: ['/Namespace'],
    });
    expect(some['conditions']).toMatchObject([
      {
        status: 'True',
        reason: 'Compiled',
        message:
          'Audit: in effect, except on /Namespace: an AdmissionPolicy applies only to namespaced objects of its own namespace',
      },
    ]);
  });
});
