import { Registry } from 'prom-client';
import { setImmediate as afterAnswer } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { CONFIG_MAP_MATCH, policyResource } from '../../test/support/policy/policy-fixtures.ts';
import type { AdmissionRequest } from '../../webhook/admission-review.ts';
import { AuditResults } from './audit-results.ts';
import {
  mutatingPolicyEndpoint,
  policyResourceEndpoint,
  validatingPolicyEndpoint,
  type PolicyEndpointContext,
} from './policy-endpoints.ts';
import { PolicyMetrics } from './policy-metrics.ts';
import { PolicyStore } from './policy-store.ts';

const teamRule = {
  name: 'team',
  assert: [
    {
      path: "$.metadata.labels['team']",
      operator: 'Exists',
      message: '{{ path }} {{ value }}: needs a team',
    },
  ],
};

function setup(...specs: Record<string, unknown>[]) {
  const store = new PolicyStore();
  specs.forEach((spec, i) => store.upsert(policyResource({ match: CONFIG_MAP_MATCH, ...spec }, `p${i}`)));
  const registry = new Registry();
  const context: PolicyEndpointContext = {
    store,
    metrics: new PolicyMetrics(registry),
    results: new AuditResults(),
    namespaceLabels: () => ({}),
    declarations: () => ({ validating: { name: 'v', rules: [] }, mutating: { name: 'm', rules: [] } }),
    onRulesChanged: () => {},
  };
  return {
    context,
    registry,
    validating: validatingPolicyEndpoint(context),
    mutating: mutatingPolicyEndpoint(context),
  };
}

function request(object: KubeObject, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: '', version: 'v1', kind: 'ConfigMap' },
    resource: { group: '', version: 'v1', resource: 'configmaps' },
    operation: 'CREATE',
    namespace: 'team-a',
    name: object.metadata?.name,
    userInfo: {},
    object,
    ...extra,
  };
}

const configMap = (labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'team-a', ...(labels ? { labels } : {}) },
});

describe('the validating policy endpoint', () => {
  it('denies for Enforce, warns for Warn, and records both', async () => {
    const { validating, context, registry } = setup(
      { action: 'Enforce', validate: [teamRule] },
      { action: 'Warn', validate: [teamRule] },
    );
    expect(await validating.validate(request(configMap()))).toEqual({
      denials: [{ message: 'metadata.labels.team (absent): needs a team' }],
      warnings: ['metadata.labels.team (absent): needs a team'],
    });
    // Findings and metrics are recorded once the answer is sent.
    expect(context.results.summary('ClusterAdmissionPolicy/p0').fail).toBe(0);
    await afterAnswer();
    expect(context.results.summary('ClusterAdmissionPolicy/p0')).toEqual({
      pass: 0,
      fail: 1,
      warn: 0,
      error: 0,
    });
    expect(context.results.summary('ClusterAdmissionPolicy/p1')).toEqual({
      pass: 0,
      fail: 0,
      warn: 1,
      error: 0,
    });
    const metrics = await registry.metrics();
    expect(metrics).toContain('prismgate_policy_denials_total{policy="p0"} 1');
    expect(metrics).toContain(
      'prismgate_policy_evaluations_total{policy="p1",mode="admission",result="warn"} 1',
    );
    expect(metrics).toContain(
      'prismgate_policy_evaluation_duration_seconds_count{policy="p0",mode="admission"} 1',
    );
  });

  it('never judges status writes, and records nothing for dry runs', async () => {
    const { validating, context } = setup({ action: 'Enforce', validate: [teamRule] });
    expect(await validating.validate(request(configMap(), { subResource: 'status' }))).toEqual({
      denials: [],
      warnings: [],
    });
    await validating.validate(request(configMap(), { dryRun: true }));
    await afterAnswer();
    expect(context.results.summary('ClusterAdmissionPolicy/p0')).toEqual({
      pass: 0,
      fail: 0,
      warn: 0,
      error: 0,
    });
  });
});

describe('the mutating policy endpoint', () => {
  it('applies Enforce mutations and describes Warn ones without applying them', async () => {
    const { mutating } = setup(
      { action: 'Enforce', mutate: [{ name: 'owner', labels: { owner: 'platform' } }] },
      { action: 'Warn', mutate: [{ name: 'tier', labels: { tier: 'web' } }] },
    );
    const object = configMap();
    const mutation = await mutating.mutate(request(object), structuredClone(object));
    expect(mutation?.object.metadata?.labels).toEqual({ owner: 'platform' });
    expect(mutation?.warnings).toEqual(['policy p1 would have set metadata.labels.tier to "web"']);
  });

  it('fails closed when an Enforce mutation cannot apply', async () => {
    const { mutating } = setup({
      action: 'Enforce',
      mutate: [{ name: 'p', patch: [{ op: 'replace', path: '/data/x', value: 1 }] }],
    });
    const object = configMap();
    expect(() => mutating.mutate(request(object), structuredClone(object))).toThrow(
      'policy p0 failed: its JSON Patch does not apply',
    );
  });
});

describe('a namespaced AdmissionPolicy', () => {
  const NAMESPACE_MATCH = { resources: [{ apiGroups: [''], kinds: ['Namespace'] }] };
  const namespaceDev: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } },
  };
  /** kube-apiserver sends a Namespace's own name as the request's namespace. */
  const namespaceRequest = (operation: AdmissionRequest['operation']): AdmissionRequest =>
    request(namespaceDev, {
      kind: { group: '', version: 'v1', kind: 'Namespace' },
      resource: { group: '', version: 'v1', resource: 'namespaces' },
      namespace: 'dev',
      operation,
      ...(operation === 'DELETE' ? { object: null, oldObject: namespaceDev } : {}),
      ...(operation === 'UPDATE' ? { oldObject: namespaceDev } : {}),
    });
  const hostile = {
    action: 'Enforce',
    match: { ...NAMESPACE_MATCH, operations: ['CREATE', 'UPDATE', 'DELETE'] },
    validate: [{ name: 'keep', assert: [{ path: '$.metadata.name', operator: 'Equals', value: 'never' }] }],
    mutate: [{ name: 'privileged', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }],
  };

  function storeWith(kind: string, namespace?: string) {
    const store = new PolicyStore();
    store.upsert(policyResource(hostile, 'hostile', kind, namespace));
    const context: PolicyEndpointContext = {
      store,
      metrics: new PolicyMetrics(new Registry()),
      results: new AuditResults(),
      namespaceLabels: () => ({}),
      declarations: () => ({ validating: { name: 'v', rules: [] }, mutating: { name: 'm', rules: [] } }),
      onRulesChanged: () => {},
    };
    return { validating: validatingPolicyEndpoint(context), mutating: mutatingPolicyEndpoint(context) };
  }

  it('neither judges nor changes its own Namespace, which is cluster-scoped', async () => {
    const { validating, mutating } = storeWith('AdmissionPolicy', 'dev');
    for (const operation of ['UPDATE', 'DELETE'] as const)
      expect(await validating.validate(namespaceRequest(operation))).toEqual({ denials: [], warnings: [] });
    const mutation = await mutating.mutate(namespaceRequest('UPDATE'), structuredClone(namespaceDev));
    expect(mutation?.object.metadata?.labels ?? namespaceDev.metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': 'dev',
    });
  });

  it('as a ClusterAdmissionPolicy, the same rules do reach the Namespace', async () => {
    const { validating, mutating } = storeWith('ClusterAdmissionPolicy');
    expect((await validating.validate(namespaceRequest('DELETE'))).denials).toHaveLength(1);
    const mutation = await mutating.mutate(namespaceRequest('UPDATE'), structuredClone(namespaceDev));
    expect(mutation?.object.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });
});

describe('the policy resource endpoint', () => {
  it('rejects a policy that does not compile, one line per problem', async () => {
    const endpoint = policyResourceEndpoint();
    const bad = policyResource({
      match: CONFIG_MAP_MATCH,
      action: 'Sometimes',
      validate: [{ name: 'r', assert: [{ operator: 'Nope' }] }],
    });
    const verdict = await endpoint.validate(
      request(bad, {
        kind: { group: 'policies.prismgate.kappnav.io', version: 'v1alpha1', kind: 'ClusterAdmissionPolicy' },
      }),
    );
    expect(verdict.denials.map((d) => d.message)).toEqual([
      'spec.action "Sometimes": must be one of Enforce, Warn, Audit',
      expect.stringContaining('spec.validate[0].assert[0].operator "Nope": is not an operator'),
    ]);
    const good = policyResource({ match: CONFIG_MAP_MATCH, validate: [teamRule] });
    expect((await endpoint.validate(request(good))).denials).toEqual([]);
  });

  it('warns that a namespaced AdmissionPolicy has no effect on the cluster-scoped kinds it names', async () => {
    const discovery = {
      versionsOfKind: (group: string, kind: string) =>
        (kind === 'Namespace'
          ? [{ group, kind, resource: 'namespaces', namespaced: false }]
          : [{ group, kind, resource: 'configmaps', namespaced: true }]) as never[],
    };
    const endpoint = policyResourceEndpoint(discovery);
    const inDev = policyResource(
      {
        match: { resources: [{ apiGroups: [''], kinds: ['Namespace', 'ConfigMap'] }] },
        validate: [teamRule],
      },
      'in-dev',
      'AdmissionPolicy',
      'dev',
    );
    const verdict = await endpoint.validate(
      request(inDev, {
        kind: { group: 'policies.prismgate.kappnav.io', version: 'v1alpha1', kind: 'AdmissionPolicy' },
        namespace: 'dev',
      }),
    );
    expect(verdict).toEqual({
      denials: [],
      warnings: [
        'spec.match.resources "/Namespace": is cluster-scoped, and an AdmissionPolicy applies only to namespaced objects of its own namespace; the policy has no effect on it (use a ClusterAdmissionPolicy)',
      ],
    });
  });
});
