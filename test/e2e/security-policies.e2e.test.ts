/**
 * Security of the policy engine against a hostile tenant (issue 15): `dev-user` holds Kubernetes' `edit`
 * role in one namespace and nothing elsewhere, and writes AdmissionPolicies there, as `edit` allows.
 *
 * Finding 3: such a policy must not reach cluster-scoped objects, not even the Namespace it lives in
 * (kube-apiserver sends a Namespace's own name as the request's namespace): it must neither label the
 * Namespace when an administrator touches it nor block the Namespace's deletion.
 *
 * Finding 7: what a policy says about a Secret (warnings, the PolicyReport every `view` user of the
 * namespace reads) must not carry the Secret's values.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { policyFeature } from '../../features/policy/feature.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { eventually, freshNamespace, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';

const POLICY_API = 'policies.prismgate.kappnav.io/v1alpha1';
const PRIVILEGED = 'pod-security.kubernetes.io/enforce';

/** kubectl as dev-user, who holds `edit` in the test's namespace only. */
const asDeveloper = (args: string[], input?: object) =>
  kubectl(args, { kubeconfig: inject('developerKubeconfig'), ...(input ? { input } : {}) });

async function namespaceLabels(name: string): Promise<Record<string, string>> {
  const out = await kubectlOk(['get', 'namespace', name, '-o', 'jsonpath={.metadata.labels}']);
  return JSON.parse(out || '{}') as Record<string, string>;
}

describe('a namespace editor writing policies', () => {
  let prismgate: Prismgate;
  let dev: string;

  beforeAll(async () => {
    await ensureCrds();
    // `edit` includes writing AdmissionPolicies through this aggregated role.
    await kubectlOk([
      'apply',
      '--server-side',
      '-f',
      path.join(repoRoot, 'manifests', 'deploy', 'user-roles.yaml'),
    ]);
    prismgate = await startPrismgate([policyFeature({ auditDebounceMs: 200, writeDebounceMs: 200 })]);
    dev = await freshNamespace('tenant');
    await kubectlOk([
      'create',
      'rolebinding',
      'dev-edit',
      '--clusterrole=edit',
      '--user=dev-user',
      '-n',
      dev,
    ]);
    await eventually(
      'edit to include AdmissionPolicies',
      async () =>
        (
          await asDeveloper([
            'auth',
            'can-i',
            'create',
            'admissionpolicies.policies.prismgate.kappnav.io',
            '-n',
            dev,
          ])
        ).stdout.trim() === 'yes',
    );
  });

  afterAll(async () => {
    await prismgate?.stop();
    if (dev) await kubectl(['delete', 'namespace', dev, '--wait=false']);
  });

  it('cannot label, judge or block the deletion of its own Namespace (finding 3)', async () => {
    const hostile = {
      apiVersion: POLICY_API,
      kind: 'AdmissionPolicy',
      metadata: { name: 'take-over', namespace: dev },
      spec: {
        action: 'Enforce',
        match: {
          resources: [{ apiGroups: [''], kinds: ['Namespace', 'ConfigMap'] }],
          operations: ['CREATE', 'UPDATE', 'DELETE'],
        },
        mutate: [{ name: 'privileged', labels: { [PRIVILEGED]: 'privileged' } }],
        validate: [
          {
            name: 'never-delete',
            kinds: ['Namespace'],
            assert: [{ path: '$.metadata.name', operator: 'Equals', value: 'never' }],
          },
        ],
      },
    };
    const applied = await asDeveloper(['apply', '-f', '-'], hostile);
    expect(applied.code).toBe(0);
    // The policy is in effect for what it may judge: ConfigMaps of its namespace get the label.
    await eventually('the policy to label ConfigMaps of its namespace', async () => {
      const out = await kubectl([
        'create',
        'configmap',
        'probe',
        '-n',
        dev,
        '--dry-run=server',
        '-o',
        'json',
      ]);
      return out.code === 0 && JSON.parse(out.stdout).metadata.labels?.[PRIVILEGED] === 'privileged';
    });

    // The administrator labels the Namespace, then deletes it: the tenant's policy has no say.
    await kubectlOk(['label', 'namespace', dev, 'team=tenant']);
    expect(await namespaceLabels(dev)).not.toHaveProperty(PRIVILEGED);
    const deleted = await kubectl(['delete', 'namespace', dev, '--dry-run=server']);
    expect(deleted.stderr).not.toContain('denied');
    expect(deleted.code).toBe(0);

    // The registration never widened to Namespaces, and the tenant is told why the kind has no effect.
    const webhooks = JSON.parse(
      await kubectlOk(['get', 'mutatingwebhookconfiguration', 'prismgate', '-o', 'json']),
    ) as { webhooks: { rules: { resources: string[] }[] }[] };
    const resources = webhooks.webhooks.flatMap((w) => w.rules.flatMap((r) => r.resources));
    expect(resources).toContain('configmaps');
    expect(resources).not.toContain('namespaces');
    expect(applied.stderr).toContain(
      'spec.match.resources "/Namespace": is cluster-scoped, and an AdmissionPolicy applies only to namespaced objects of its own namespace',
    );
    const status = await eventually('the policy to say what it cannot reach', async () => {
      const out = await kubectlOk(['get', 'admissionpolicy', 'take-over', '-n', dev, '-o', 'json']);
      const condition = JSON.parse(out).status?.conditions?.[0];
      return condition?.observedGeneration === 1 ? condition : undefined;
    });
    expect(status).toMatchObject({
      status: 'True',
      message: expect.stringContaining('except on /Namespace'),
    });
  });

  it("never writes a Secret's values into warnings or the namespace's PolicyReport (finding 7)", async () => {
    const password = 'hunter2-correct-horse-battery';
    const encoded = Buffer.from(password).toString('base64');
    const nosy = {
      apiVersion: POLICY_API,
      kind: 'AdmissionPolicy',
      metadata: { name: 'nosy', namespace: dev },
      spec: {
        action: 'Warn',
        match: { resources: [{ apiGroups: [''], kinds: ['Secret'] }] },
        validate: [
          {
            name: 'show-me',
            assert: [
              {
                path: '$.data.password',
                operator: 'Equals',
                value: 'x',
                message: 'value {{ value }} data {{ $.data }} notes {{ $.metadata.annotations }}',
              },
            ],
          },
        ],
      },
    };
    expect((await asDeveloper(['apply', '-f', '-'], nosy)).code).toBe(0);
    const secret = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: dev },
      stringData: { password },
    });
    // Client-side apply also copies the Secret, data and all, into its last-applied annotation.
    const warned = await eventually('the Warn policy to judge Secrets', async () => {
      const out = await asDeveloper(['apply', '--dry-run=server', '-f', '-'], secret('probe'));
      return out.stderr.includes('Warning: value') ? out.stderr : undefined;
    });
    expect(warned).toContain('**REDACTED**');
    expect((await asDeveloper(['apply', '-f', '-'], secret('db'))).code).toBe(0);

    const report = await eventually('the warning in the namespace PolicyReport', async () => {
      const out = await kubectl(['get', 'policyreport', 'prismgate-policies', '-n', dev, '-o', 'json']);
      if (out.code !== 0) return undefined;
      const results = (JSON.parse(out.stdout) as { results?: { policy: string; message: string }[] }).results;
      return results?.find((r) => r.policy === `${dev}/nosy`) ? out.stdout : undefined;
    });
    expect(report).toContain('**REDACTED**');
    for (const text of [warned, report]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encoded.slice(0, 12));
    }
  });
});
