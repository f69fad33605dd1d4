/**
 * The policy engine on the real control plane: a policy takes effect within seconds of being applied,
 * does what its action says (Enforce denies, Warn warns, Audit records in the policy report), follows
 * updates, stops when deleted; a mutate policy changes the stored object; a broken policy is rejected at
 * apply with its reasons; a shipped default policy says what the Vimana rule says.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prismgate } from '../../src/prismgate.ts';
import { policyFeature } from '../../features/policy/feature.ts';
import { eventually, freshNamespace, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';

const LABEL = 'e2e.prismgate.kappnav.io/suite=policy-engine';
/** How soon a policy change must show at admission: registration and the API server's webhook informer. */
const WITHIN_SECONDS = 10_000;

function policy(name: string, namespace: string, action: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'policies.prismgate.kappnav.io/v1alpha1',
    kind: 'ClusterAdmissionPolicy',
    metadata: { name, labels: { 'e2e.prismgate.kappnav.io/suite': 'policy-engine' } },
    spec: {
      action,
      match: { resources: [{ apiGroups: [''], kinds: ['ConfigMap'] }], namespaces: [namespace] },
      validate: [
        {
          name: 'team-label',
          assert: [
            {
              path: "$.metadata.labels['team']",
              operator: 'Exists',
              message: '{{ path }} {{ value }}: every ConfigMap needs a team label',
            },
          ],
        },
      ],
      ...extra,
    },
  };
}

/** A server-side dry run of a ConfigMap creation: what the webhooks say, without side effects. */
const tryCreate = (namespace: string, name = 'probe') =>
  kubectl(['create', 'configmap', name, '-n', namespace, '--dry-run=server']);

describe('the policy engine', () => {
  let prismgate: Prismgate;
  let ns: string;

  beforeAll(async () => {
    await ensureCrds();
    prismgate = await startPrismgate([policyFeature({ auditDebounceMs: 200, writeDebounceMs: 200 })]);
    ns = await freshNamespace('policy');
  });

  afterAll(async () => {
    await kubectl(['delete', 'clusteradmissionpolicies', '-l', LABEL, '--wait=false']);
    await prismgate?.stop();
    await kubectl(['delete', 'clusterpolicyreport', 'prismgate-policies', '--ignore-not-found']);
  });

  it('rejects a broken policy at apply, with every reason', async () => {
    const broken = policy('broken', ns, 'Enforce', {
      validate: [
        {
          name: 'bad',
          forEach: '$.data[',
          assert: [
            { operator: 'Matchez', value: 'x' },
            { operator: 'Matches', value: '(a)\\1' },
          ],
          schema: { type: 'strnig' },
        },
      ],
    });
    const result = await kubectl(['apply', '-f', '-'], { input: broken });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'spec.validate[0].forEach "$.data[": is not a JSONPath: expected ] at character 8',
    );
    expect(result.stderr).toContain('spec.validate[0].assert[0].operator "Matchez": is not an operator');
    expect(result.stderr).toContain('is not an RE2 regular expression');
    expect(result.stderr).toContain('spec.validate[0].schema {"type":"strnig"}: is not a valid JSON Schema');
    expect((await kubectl(['get', 'clusteradmissionpolicy', 'broken'])).code).not.toBe(0);
  });

  it('enforces, warns and audits as the action says, follows updates within seconds, and stops on delete', async () => {
    const started = Date.now();
    await kubectlOk(['apply', '-f', '-'], { input: policy('team-label', ns, 'Enforce') });
    const denied = await eventually('the Enforce policy to deny', async () => {
      const result = await tryCreate(ns);
      return result.code !== 0 ? result : undefined;
    });
    expect(denied.stderr).toContain('metadata.labels.team (absent): every ConfigMap needs a team label');
    expect(Date.now() - started).toBeLessThan(WITHIN_SECONDS);
    // A compliant object is admitted.
    const compliant = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      input: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ok', namespace: ns, labels: { team: 'a' } },
      },
    });
    expect(compliant.code).toBe(0);

    await kubectlOk(['apply', '-f', '-'], { input: policy('team-label', ns, 'Warn') });
    const warned = await eventually(
      'the updated policy to warn',
      async () => {
        const result = await tryCreate(ns);
        return result.code === 0 ? result : undefined;
      },
      WITHIN_SECONDS,
    );
    expect(warned.stderr).toContain(
      'Warning: metadata.labels.team (absent): every ConfigMap needs a team label',
    );

    await kubectlOk(['apply', '-f', '-'], { input: policy('team-label', ns, 'Audit') });
    await eventually(
      'the Audit policy to stop warning',
      async () => {
        const result = await tryCreate(ns);
        return result.code === 0 && !result.stderr.includes('Warning') ? result : undefined;
      },
      WITHIN_SECONDS,
    );
    await kubectlOk(['create', 'configmap', 'audited', '-n', ns]);
    const report = await eventually('the audited violation in the namespace report', async () => {
      const text = await kubectlOk(['get', 'policyreport', 'prismgate-policies', '-n', ns, '-o', 'json']);
      const found = JSON.parse(text) as {
        results?: { policy: string; result: string; resources: { name: string }[]; message: string }[];
      };
      return found.results?.find((r) => r.policy === 'team-label' && r.resources[0]?.name === 'audited');
    });
    expect(report).toMatchObject({
      result: 'fail',
      message: 'metadata.labels.team (absent): every ConfigMap needs a team label',
    });

    await kubectlOk(['apply', '-f', '-'], { input: policy('team-label', ns, 'Enforce') });
    await eventually(
      'Enforce again',
      async () => ((await tryCreate(ns)).code !== 0 ? true : undefined),
      WITHIN_SECONDS,
    );
    await kubectlOk(['delete', 'clusteradmissionpolicy', 'team-label']);
    const accepted = await eventually(
      'the deleted policy to stop',
      async () => {
        const result = await tryCreate(ns);
        return result.code === 0 ? result : undefined;
      },
      WITHIN_SECONDS,
    );
    expect(accepted.stderr).not.toContain('team label');
  });

  it('a mutate policy changes the stored object', async () => {
    const mutate = policy('owner-label', ns, 'Enforce', {
      validate: [],
      mutate: [
        { name: 'owner', labels: { owner: 'platform' } },
        { name: 'mode', default: { path: '$.data.mode', value: 'standard' } },
      ],
    });
    await kubectlOk(['apply', '-f', '-'], { input: mutate });
    const stored = await eventually('the mutation to apply', async () => {
      const name = `m-${Date.now()}`;
      await kubectlOk(['create', 'configmap', name, '-n', ns]);
      const object = JSON.parse(await kubectlOk(['get', 'configmap', name, '-n', ns, '-o', 'json'])) as {
        metadata: { labels?: Record<string, string> };
        data?: Record<string, string>;
      };
      return object.metadata.labels?.['owner'] === 'platform' ? object : undefined;
    });
    expect(stored.data).toEqual({ mode: 'standard' });
    await kubectlOk(['delete', 'clusteradmissionpolicy', 'owner-label']);
  });

  it('the background audit reports objects that existed before the policy, and its status counts them', async () => {
    const auditNs = await freshNamespace('policy-audit');
    for (const name of ['old-1', 'old-2']) await kubectlOk(['create', 'configmap', name, '-n', auditNs]);
    await kubectlOk(['apply', '-f', '-'], {
      input: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'old-ok', namespace: auditNs, labels: { team: 'a' } },
      },
    });
    // Every namespace has the controller-manager's kube-root-ca.crt, which no team owns.
    const auditPolicy = policy('team-label-audit', auditNs, 'Audit', {
      exclude: { names: ['kube-root-ca.crt'] },
    });
    await kubectlOk(['apply', '-f', '-'], { input: auditPolicy });
    const report = await eventually('the pre-existing violators in the report', async () => {
      const found = JSON.parse(
        await kubectlOk(['get', 'policyreport', 'prismgate-policies', '-n', auditNs, '-o', 'json']),
      ) as {
        summary: Record<string, number>;
        results: { policy: string; result: string; resources: { name: string }[] }[];
      };
      return found.results?.length === 2 ? found : undefined;
    });
    expect(report.results.map((r) => [r.policy, r.result, r.resources[0]?.name])).toEqual([
      ['team-label-audit', 'fail', 'old-1'],
      ['team-label-audit', 'fail', 'old-2'],
    ]);
    expect(report.summary).toMatchObject({ pass: 1, fail: 2 });
    const columns = await eventually('the counts in kubectl get', async () => {
      const table = await kubectlOk(['get', 'clusteradmissionpolicy', 'team-label-audit']);
      return /team-label-audit\s+Audit\s+True\s+1\s+2\s+0\s+0/.test(table) ? table : undefined;
    });
    expect(columns).toMatch(/NAME\s+ACTION\s+READY\s+PASS\s+FAIL\s+WARN\s+ERROR\s+AGE/);
    await kubectlOk(['delete', 'clusteradmissionpolicy', 'team-label-audit']);
  });

  it('a namespace policy whose path explodes over a deeply nested object fails closed, and prismgate keeps serving (issue 15, finding 1)', async () => {
    const hostileNs = await freshNamespace('policy-hostile');
    const hostile = {
      apiVersion: 'policies.prismgate.kappnav.io/v1alpha1',
      kind: 'AdmissionPolicy',
      metadata: {
        name: 'deep',
        namespace: hostileNs,
        labels: { 'e2e.prismgate.kappnav.io/suite': 'policy-engine' },
      },
      spec: {
        action: 'Enforce',
        timeoutMilliseconds: 50,
        match: { resources: [{ apiGroups: ['app.k8s.io'], kinds: ['Application'] }] },
        validate: [{ name: 'deep', assert: [{ path: '$..*..*..*..*', operator: 'Exists' }] }],
      },
    };
    await kubectlOk(['apply', '-f', '-'], { input: hostile });
    // About 900 bytes, 60 levels deep under spec.descriptor: 2.6 GiB of heap and a crash before.
    let descriptor: unknown = 'x';
    for (let i = 0; i < 60; i++) descriptor = { a: descriptor, b: 1 };
    const application = {
      apiVersion: 'app.k8s.io/v1beta1',
      kind: 'Application',
      metadata: { name: 'deep', namespace: hostileNs },
      spec: { descriptor, selector: { matchLabels: { app: 'deep' } } },
    };
    const denied = await eventually(
      'the policy to judge Applications',
      async () => {
        const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: application });
        return result.code !== 0 ? result : undefined;
      },
      WITHIN_SECONDS,
    );
    expect(denied.stderr).toMatch(
      new RegExp(
        `policy ${hostileNs}/deep (failed: JSONPath \\$\\.\\.\\*\\.\\.\\*\\.\\.\\*\\.\\.\\* selects more than \\d+ nodes of this object|did not finish within its budget of 50 ms) \\(failing closed\\)`,
      ),
    );
    // Every other admission still gets its answer.
    expect((await kubectl(['create', 'configmap', 'after', '-n', hostileNs, '--dry-run=server'])).code).toBe(
      0,
    );
    await kubectlOk(['delete', 'namespace', hostileNs, '--wait=false']);
  });

  it('every shipped default policy passes the CRD schema and the policy check', async () => {
    const result = await kubectl([
      'apply',
      '--dry-run=server',
      '-f',
      path.join(repoRoot, 'manifests/policies'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(18);
  });

  it('a shipped default policy denies with the Vimana rule message', async () => {
    const file = path.join(repoRoot, 'manifests/policies/vimana-domain-id-format.yaml');
    await kubectlOk(['apply', '-f', file]);
    const domain = {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'upper', namespace: ns },
      spec: { id: '0123456789ABCDEF0123456789ABCDEF', vimana: 'edge' },
    };
    try {
      const denied = await eventually('the default policy to deny', async () => {
        const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: domain });
        return result.code !== 0 ? result : undefined;
      });
      expect(denied.stderr).toContain(
        'spec.id "0123456789ABCDEF0123456789ABCDEF": must be 32 lowercase hex characters (rule F1)',
      );
    } finally {
      await kubectlOk(['delete', '-f', file]);
    }
  });
});
