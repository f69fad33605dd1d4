import { describe, expect, it } from 'vitest';
import { matchingPolicies } from './evaluate.ts';
import { compiled, configMap, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';

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
