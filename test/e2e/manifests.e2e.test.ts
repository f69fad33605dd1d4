/**
 * The deployment manifests are valid for a real API server: every one is applied with server-side apply
 * (the registration objects as a server-side dry run, since nothing serves them here and a live
 * APIService without a backend would stall namespace deletion), and the RBAC grants what prismgate needs.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';

const manifests = (...parts: string[]) => path.join(repoRoot, 'manifests', ...parts);
const live = [
  'serviceaccount.yaml',
  'rbac.yaml',
  'service.yaml',
  'deployment.yaml',
  'pdb.yaml',
  'networkpolicy.yaml',
];
const serviceAccount = 'system:serviceaccount:prismgate-system:prismgate';

describe('manifests/', () => {
  afterAll(async () => {
    // Leave the shared cluster as other files expect it (local mode uses an ExternalName Service there).
    for (const file of [...live].reverse())
      await kubectl(['delete', '--ignore-not-found', '-f', manifests('deploy', file)]);
  });

  it('applies with server-side apply: CRDs, namespaces, RBAC, workload, kAppNav defaults', async () => {
    await ensureCrds();
    await kubectlOk(['apply', '--server-side', '-f', manifests('deploy', 'namespace.yaml')]);
    for (const file of live) await kubectlOk(['apply', '--server-side', '-f', manifests('deploy', file)]);
    await kubectlOk(['apply', '--server-side', '-f', manifests('kappnav')]);
    const deployment = JSON.parse(
      await kubectlOk(['get', 'deployment', 'prismgate', '-n', 'prismgate-system', '-o', 'json']),
    );
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('accepts the registration objects (server-side dry run)', async () => {
    const out = await kubectlOk([
      'apply',
      '--server-side',
      '--dry-run=server',
      '-f',
      manifests('deploy', 'registration.yaml'),
    ]);
    expect(out).toMatch(/validatingwebhookconfiguration.* serverside-applied \(server dry run\)/);
    expect(out).toMatch(/apiservice.*v1\.prism\.kappnav\.io serverside-applied \(server dry run\)/);
  });

  it('renders as one kustomization (kubectl kustomize)', async () => {
    const out = await kubectlOk(['kustomize', manifests()]);
    expect(out).toContain('kind: Deployment');
    expect(out).toContain('kind: APIService');
  });

  it.each([
    ['list', 'applications.app.k8s.io', []],
    ['watch', 'servers.api.vimana.host', []],
    ['patch', 'servers.api.vimana.host', ['--subresource=status']],
    ['create', 'tokenreviews.authentication.k8s.io', []],
    ['create', 'subjectaccessreviews.authorization.k8s.io', []],
    ['get', 'configmaps/extension-apiserver-authentication', ['-n', 'kube-system']],
    ['create', 'jobs.batch', ['-n', 'kappnav']],
    ['update', 'leases.coordination.k8s.io', ['-n', 'prismgate-system']],
    ['patch', 'deployments.apps', []],
    ['patch', 'applications.app.k8s.io', []],
    ['list', 'statefulsets.apps', ['-n', 'default']],
    ['list', 'ingresses.networking.k8s.io', []],
  ])('lets prismgate %s %s', async (verb, resource, extra) => {
    const answer = await kubectl(['auth', 'can-i', verb, resource, ...extra, '--as', serviceAccount]);
    expect(answer.stdout.trim()).toBe('yes');
  });

  it.each([
    ['create', 'jobs.batch', ['-n', 'default']],
    ['delete', 'servers.api.vimana.host', []],
    ['update', 'secrets', ['-n', 'default']],
  ])('does not let prismgate %s %s', async (verb, resource, extra) => {
    const answer = await kubectl(['auth', 'can-i', verb, resource, ...extra, '--as', serviceAccount]);
    expect(answer.stdout.trim()).toBe('no');
  });
});
