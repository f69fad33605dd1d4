/**
 * Finding 12 of issue 15: prismgate's own account holds least privilege. Every e2e file runs prismgate as
 * its ServiceAccount with exactly the RBAC of manifests/deploy/ (and manifests/local/, what running
 * outside the cluster adds), so what it lacks fails those tests; this file pins what it has: every write
 * its roles allow, as kube-apiserver itself evaluates them (SelfSubjectRulesReview, what
 * `kubectl auth can-i --list` shows), and the denials that matter.
 *
 * A namespace editor may name any kind as an Application's component, including kinds prismgate may not
 * read; such a kind must not hold prismgate unready (which would fail every webhook, cluster-wide).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KappnavFeature } from '../../features/kappnav/feature.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { PRISMGATE_USER } from '../control-plane/prismgate-identity.ts';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { application, apply, installKappnav } from './support/kappnav.ts';
import { startPrismgate } from './support/prismgate.ts';

interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

const READS = new Set(['get', 'list', 'watch']);

/** What prismgate may write in `namespace` (cluster-wide grants included), as `verb resource.group[/name]`. */
async function writesIn(namespace: string): Promise<Set<string>> {
  const review = await kubectlOk(['create', '-o', 'json', '-f', '-'], {
    kubeconfig: inject('prismgateKubeconfig'),
    input: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
  });
  const rules = (JSON.parse(review) as { status: { resourceRules: ResourceRule[] } }).status.resourceRules;
  const writes = new Set<string>();
  for (const rule of rules)
    for (const verb of rule.verbs.filter((v) => !READS.has(v)))
      for (const group of rule.apiGroups ?? [''])
        for (const resource of rule.resources ?? [])
          for (const name of rule.resourceNames?.length ? rule.resourceNames : [''])
            writes.add(`${verb} ${resource}${group ? `.${group}` : ''}${name ? `/${name}` : ''}`);
  return writes;
}

const canI = async (verb: string, resource: string, namespace?: string) =>
  (
    await kubectl([
      'auth',
      'can-i',
      verb,
      resource,
      ...(namespace ? ['-n', namespace] : ['--all-namespaces']),
      '--as',
      PRISMGATE_USER,
    ])
  ).stdout.trim();

/** Every write granted in every namespace: by ClusterRoleBindings. */
const CLUSTER_WIDE_WRITES = [
  // system:basic-user, which every authenticated user holds.
  'create selfsubjectaccessreviews.authorization.k8s.io',
  'create selfsubjectreviews.authentication.k8s.io',
  'create selfsubjectrulesreviews.authorization.k8s.io',
  // system:auth-delegator: the prism API's delegated authentication and authorization.
  'create subjectaccessreviews.authorization.k8s.io',
  'create tokenreviews.authentication.k8s.io',
  // Computed status of the Vimana kinds, and their in-use finalizer (D1-D4, docs/vimana-operator.md).
  ...['vimanas', 'domains', 'servers', 'components'].flatMap((kind) => [
    `patch ${kind}.api.vimana.host`,
    `patch ${kind}/status.api.vimana.host`,
    `update ${kind}/status.api.vimana.host`,
  ]),
  // Policy status and reports.
  'patch admissionpolicies/status.policies.prismgate.kappnav.io',
  'patch clusteradmissionpolicies/status.policies.prismgate.kappnav.io',
  'create clusterpolicyreports.wgpolicyk8s.io',
  'patch clusterpolicyreports.wgpolicyk8s.io',
  'create policyreports.wgpolicyk8s.io',
  'patch policyreports.wgpolicyk8s.io',
  // kAppNav status annotations (prismgate-status-writer-defaults).
  'patch applications.app.k8s.io',
  'patch configmaps',
  'patch deployments.apps',
  'patch ingresses.networking.k8s.io',
  'patch jobs.batch',
  'patch pods',
  'patch services',
  'patch statefulsets.apps',
  // The kAppNav UI's Application writes, each after a SubjectAccessReview of the user (kappnav-ui-routes.ts).
  'create applications.app.k8s.io',
  'update applications.app.k8s.io',
  'delete applications.app.k8s.io',
  // Constrained impersonation, its identity part: naming the requesting user, which takes effect only
  // where an administrator binds the action part (prismgate:untrusted-commands) too.
  'impersonate:user-info *.authentication.k8s.io',
  'impersonate:serviceaccount serviceaccounts.authentication.k8s.io',
  // Its own registration, by name only; delete only as manifests/local/ adds it.
  ...['create', 'patch', 'delete'].flatMap((verb) => [
    `${verb} apiservices.apiregistration.k8s.io/v1.prism.kappnav.io`,
    `${verb} mutatingwebhookconfigurations.admissionregistration.k8s.io/prismgate`,
    `${verb} validatingwebhookconfigurations.admissionregistration.k8s.io/prismgate`,
  ]),
].sort();

/** Writes a namespace adds to the cluster-wide ones. */
const NAMESPACE_WRITES: Record<string, string[]> = {
  default: [],
  'kube-system': [],
  kappnav: ['create jobs.batch', 'delete jobs.batch'],
  'prismgate-system': [
    'create leases.coordination.k8s.io',
    'update leases.coordination.k8s.io/prismgate-leader',
    'create secrets',
    'update secrets/prismgate-ca',
    'update secrets/prismgate-tls',
    // manifests/local/: the ExternalName Service of local registration.
    'create services/prismgate',
    'delete services/prismgate',
    'patch services/prismgate',
  ],
};

describe("prismgate's own account", () => {
  it('may write exactly what its roles say, cluster-wide and per namespace', async () => {
    const cluster = await writesIn('default');
    expect([...cluster].sort()).toEqual(CLUSTER_WIDE_WRITES);
    for (const [namespace, extra] of Object.entries(NAMESPACE_WRITES)) {
      const writes = [...(await writesIn(namespace))].filter((w) => !cluster.has(w)).sort();
      expect(writes, namespace).toEqual([...extra].sort());
    }
  });

  it.each<[string, string, string?]>([
    ['get', 'secrets', 'default'],
    ['get', 'secrets', 'kube-system'],
    ['get', 'secrets/some-other-secret', 'prismgate-system'],
    ['update', 'secrets', 'default'],
    ['create', 'jobs.batch', 'default'],
    ['create', 'pods', 'kappnav'],
    ['create', 'pods/exec', 'default'],
    ['create', 'pods/exec', 'kappnav'],
    ['create', 'serviceaccounts/token', 'prismgate-system'],
    ['create', 'validatingwebhookconfigurations.admissionregistration.k8s.io'],
    ['patch', 'mutatingwebhookconfigurations.admissionregistration.k8s.io/another'],
    ['create', 'apiservices.apiregistration.k8s.io/v1.another.example.com'],
    ['escalate', 'clusterroles.rbac.authorization.k8s.io'],
    ['bind', 'clusterroles.rbac.authorization.k8s.io'],
    ['impersonate', 'users'],
    ['impersonate', 'serviceaccounts', 'default'],
    // No namespace lets prismgate create Jobs as users until its administrator binds that there.
    ['impersonate-on:user-info:create', 'jobs.batch', 'default'],
    ['impersonate-on:user-info:create', 'jobs.batch', 'kube-system'],
    ['impersonate-on:serviceaccount:create', 'jobs.batch', 'kube-system'],
    ['patch', 'namespaces'],
    ['delete', 'namespaces'],
  ])('may not %s %s (namespace %s)', async (verb, resource, namespace) => {
    expect(await canI(verb, resource, namespace)).toBe('no');
  });

  it.each<[string, string, string?]>([
    // Rule R12: names of TLS Secrets, cached metadata only (prismgate-tls-secret-names).
    ['list', 'secrets', 'default'],
    ['get', 'secrets/prismgate-ca', 'prismgate-system'],
    ['update', 'leases.coordination.k8s.io/prismgate-leader', 'prismgate-system'],
  ])('may %s %s %s, as it needs', async (verb, resource, namespace) => {
    expect(await canI(verb, resource, namespace)).toBe('yes');
  });
});

describe('a kind prismgate may not read, named by an Application', () => {
  let prismgate: Prismgate;
  let ns: string;

  beforeAll(async () => {
    await installKappnav();
    prismgate = await startPrismgate([new KappnavFeature()]);
    ns = await freshNamespace('unreadable');
  });
  afterAll(async () => {
    await prismgate?.stop();
    if (ns) await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it('leaves prismgate ready, with nothing of that kind in memory', async () => {
    expect(await canI('list', 'roles.rbac.authorization.k8s.io', ns)).toBe('no');
    await apply(
      application('roles-app', {
        namespace: ns,
        kinds: [{ group: 'rbac.authorization.k8s.io', kind: 'Role' }],
        selector: { matchLabels: { app: 'roles' } },
      }),
    );
    const roles = await eventually('a cache of Roles, refused by RBAC', () =>
      prismgate.services.caches.all().find((c) => c.type.resource === 'roles' && c.forbidden),
    );
    expect(roles.list()).toEqual([]);
    expect(prismgate.ready()).toBe(true);
  });
});
