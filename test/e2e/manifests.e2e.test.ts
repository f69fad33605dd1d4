/**
 * The deployment manifests are valid for a real API server: every one is applied with server-side apply
 * (the registration objects as a server-side dry run, since nothing serves them here and a live
 * APIService without a backend would stall namespace deletion), the RBAC grants what prismgate needs, and
 * the user roles reach Kubernetes' view, edit and admin roles through aggregation.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freshNamespace, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';

const manifests = (...parts: string[]) => path.join(repoRoot, 'manifests', ...parts);
const live = [
  'serviceaccount.yaml',
  'rbac.yaml',
  'service.yaml',
  'deployment.yaml',
  'pdb.yaml',
  'networkpolicy.yaml',
  'user-roles.yaml',
  'trusted-command-maps.yaml',
];
const serviceAccount = 'system:serviceaccount:prismgate-system:prismgate';
/** Installed for the whole suite (global-setup.ts): applied again here, never deleted. */
const IDENTITY = ['serviceaccount.yaml', 'rbac.yaml'];

describe('manifests/', () => {
  afterAll(async () => {
    // Leave the shared cluster as other files expect it (local mode uses an ExternalName Service there).
    // prismgate's ServiceAccount and RBAC stay: every prismgate of the suite runs as that account.
    for (const file of [...live].reverse().filter((f) => !IDENTITY.includes(f)))
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
    // Its in-use finalizer (D1-D4).
    ['patch', 'servers.api.vimana.host', []],
    ['create', 'tokenreviews.authentication.k8s.io', []],
    ['create', 'subjectaccessreviews.authorization.k8s.io', []],
    ['get', 'configmaps/extension-apiserver-authentication', ['-n', 'kube-system']],
    ['create', 'jobs.batch', ['-n', 'kappnav']],
    ['update', 'leases.coordination.k8s.io/prismgate-leader', ['-n', 'prismgate-system']],
    ['patch', 'deployments.apps', []],
    ['patch', 'applications.app.k8s.io', []],
    ['list', 'statefulsets.apps', ['-n', 'default']],
    ['list', 'ingresses.networking.k8s.io', []],
  ])('lets prismgate %s %s', async (verb, resource, extra) => {
    const answer = await kubectl(['auth', 'can-i', verb, resource, ...extra, '--as', serviceAccount]);
    expect(answer.stdout.trim()).toBe('yes');
  });

  it("adds the prism API and policies to the users' view, edit and admin roles", async () => {
    await kubectlOk(['apply', '--server-side', '-f', manifests('deploy', 'user-roles.yaml')]);
    const namespace = await freshNamespace('user-roles');
    const [viewer, editor] = [`viewer-${namespace}`, `editor-${namespace}`];
    for (const [role, user] of [
      ['view', viewer],
      ['edit', editor],
    ] as const)
      await kubectlOk([
        'create',
        'rolebinding',
        user,
        `--clusterrole=${role}`,
        `--user=${user}`,
        '-n',
        namespace,
      ]);
    // A SubjectAccessReview rather than `kubectl auth can-i`, which needs the resource in discovery (the
    // prism API is not served in this file). The answer is `yes` or `no`, as can-i would print.
    const can = async (user: string, verb: string, resource: string, where = namespace) => {
      const [plural = '', ...group] = resource.split('.');
      const [name, subresource] = plural.split('/');
      const review = await kubectlOk(['create', '-o', 'json', '-f', '-'], {
        input: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user,
            resourceAttributes: {
              verb,
              group: group.join('.'),
              resource: name,
              ...(subresource ? { subresource } : {}),
              namespace: where,
            },
          },
        },
      });
      return (JSON.parse(review) as { status: { allowed: boolean } }).status.allowed ? 'yes' : 'no';
    };
    // kube-controller-manager's aggregation controller copies the rules into view, edit and admin.
    await eventually(
      'view to include the prism API',
      async () => (await can(viewer, 'list', 'prismapplications.prism.kappnav.io')) === 'yes',
    );
    expect(await can(viewer, 'get', 'kappnav/components.prism.kappnav.io')).toBe('yes');
    expect(await can(viewer, 'list', 'policyreports.wgpolicyk8s.io')).toBe('yes');
    expect(await can(viewer, 'watch', 'servers.api.vimana.host')).toBe('yes');
    expect(await can(viewer, 'patch', 'servers.api.vimana.host')).toBe('no');
    expect(await can(viewer, 'create', 'actionresolutions.prism.kappnav.io')).toBe('no');
    expect(await can(viewer, 'create', 'admissionpolicies.policies.prismgate.kappnav.io')).toBe('no');
    expect(await can(viewer, 'list', 'prismapplications.prism.kappnav.io', 'default')).toBe('no');
    await eventually(
      'edit to include running commands',
      async () => (await can(editor, 'create', 'commandexecutions.prism.kappnav.io')) === 'yes',
    );
    expect(await can(editor, 'create', 'admissionpolicies.policies.prismgate.kappnav.io')).toBe('yes');
    expect(await can(editor, 'watch', 'prismcomponents.prism.kappnav.io')).toBe('yes');
    expect(await can(editor, 'create', 'applications.app.k8s.io')).toBe('yes');
    // The namespaced variants of the create-only verbs, which a RoleBinding grants in its namespace only.
    for (const resource of ['localactionresolutions', 'localmappingpreviews', 'locallifecycleevents']) {
      expect(await can(editor, 'create', `${resource}.prism.kappnav.io`)).toBe('yes');
      expect(await can(editor, 'create', `${resource}.prism.kappnav.io`, 'default')).toBe('no');
      expect(await can(viewer, 'create', `${resource}.prism.kappnav.io`)).toBe('no');
    }
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
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
