import { describe, expect, it } from 'vitest';
import { matchingPolicies } from './evaluate.ts';
import { compilePolicy } from './policy.ts';
import {
  compiled,
  configMap,
  policyResource,
  reviewOf,
} from '../../../test/support/policy/policy-fixtures.ts';

const rules = { validate: [{ name: 'r', assert: [{ operator: 'Exists' }] }] };
const resources = [{ apiGroups: [''], kinds: ['ConfigMap'] }];

function matches(
  match: Record<string, unknown>,
  object = configMap({}),
  extra = {},
  exclude?: Record<string, unknown>,
): boolean {
  const policy = compiled({ ...rules, match: { resources, ...match }, ...(exclude ? { exclude } : {}) });
  return matchingPolicies([policy], reviewOf(object, extra)).length === 1;
}

describe('policy matching', () => {
  it('matches group, kind and operation', () => {
    expect(matches({})).toBe(true);
    expect(matches({}, configMap({}), { kind: 'Secret' })).toBe(false);
    expect(matches({}, configMap({}), { operation: 'DELETE' })).toBe(false);
    expect(matches({ operations: ['DELETE'] }, configMap({}), { operation: 'DELETE' })).toBe(true);
  });

  it('matches namespaces by name or prefix, and by namespace labels', () => {
    expect(matches({ namespaces: ['team-*'] })).toBe(true);
    expect(matches({ namespaces: ['other'] })).toBe(false);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'prod' } } })).toBe(true);
    expect(matches({ namespaceSelector: { matchLabels: { env: 'dev' } } })).toBe(false);
  });

  it('matches object labels, and excludes by name, namespace or labels', () => {
    const labelled = configMap({}, { labels: { tier: 'web' } });
    expect(
      matches(
        { objectSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] } },
        labelled,
      ),
    ).toBe(true);
    expect(matches({ objectSelector: { matchLabels: { tier: 'db' } } }, labelled)).toBe(false);
    expect(matches({}, labelled, {}, { names: ['c*'] })).toBe(false);
    expect(matches({}, labelled, {}, { objectSelector: { matchLabels: { tier: 'web' } } })).toBe(false);
    expect(matches({}, labelled, {}, { namespaces: ['elsewhere'] })).toBe(true);
  });
});

describe('a namespaced AdmissionPolicy', () => {
  const inTeamA = (kinds: string[]) => {
    const result = compilePolicy(
      policyResource(
        { ...rules, match: { resources: [{ apiGroups: [''], kinds }] } },
        'scoped',
        'AdmissionPolicy',
        'team-a',
      ),
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    return result.policy;
  };

  it('applies to namespaced objects of its own namespace only', () => {
    const policy = inTeamA(['ConfigMap']);
    expect(matchingPolicies([policy], reviewOf(configMap({})))).toHaveLength(1);
    expect(matchingPolicies([policy], reviewOf(configMap({}, { namespace: 'team-b' })))).toHaveLength(0);
  });

  it('never applies to cluster-scoped objects, its own Namespace included (whose request namespace is its name)', () => {
    const policy = inTeamA(['Namespace']);
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    expect(
      matchingPolicies([policy], reviewOf(namespace, { namespace: 'team-a', clusterScoped: true })),
    ).toHaveLength(0);
  });
});
