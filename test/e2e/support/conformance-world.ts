/**
 * What the conformance suite compares, set up on the shared control plane: the prism API registered as
 * usual, and for each kind of prism resource a reference kube-apiserver serves itself.
 *
 *   prism resource                    reference                          why this one
 *   prismapplications (read-only)     applications.app.k8s.io (CRD)      the same objects: every papp mirrors an
 *                                                                        Application, labels included, so
 *                                                                        selectors must select the same names
 *   prismapplications, write verbs    componentstatuses (built-in)       the one built-in kind that is get/list only
 *   lifecycleevents (create-only)     selfsubjectreviews                 a cluster-scoped create-only built-in
 *                                     (authentication.k8s.io)            whose objects may carry a name
 *   commandexecutions (create-only,   localsubjectaccessreviews          a namespaced create-only built-in
 *   namespaced)                       (authorization.k8s.io)
 *   commands (get/list/watch/delete,  clusterroles                       a cluster-scoped built-in that deletes
 *   cluster-scoped)                   (rbac.authorization.k8s.io)        at once; each Command has a ClusterRole
 *                                                                        of the same name beside it
 */
import { inject } from 'vitest';
import { eventually, freshNamespace, kubectlOk } from './cluster.ts';
import { collectionPath, type Side, type Subject } from './conformance.ts';
import { KAPPNAV_NAMESPACE } from './kappnav.ts';
import { startPrismApi, type RunningPrismApi } from './prism-api.ts';
import { apiServerEndpoint, send, type Endpoint } from './raw-http.ts';

/** Labels of the Applications app1…app5: `num` for set and numeric selectors, `tier` for existence. */
export const APPLICATION_LABELS: Record<string, Record<string, string>> = {
  app1: { num: '1', tier: 'web' },
  app2: { num: '2', tier: 'db' },
  app3: { num: '3' },
  app4: { num: '4', tier: 'web' },
  app5: { num: 'five', tier: 'web' },
};
export const APPLICATION_NAMES = Object.keys(APPLICATION_LABELS);

/** Names used in requests for objects that do not exist. */
export const ABSENT = 'absent-object';

export interface ConformanceWorld {
  api: RunningPrismApi;
  namespace: string;
  apiServer: Endpoint;
  /** prismapplications ↔ applications.app.k8s.io, both in `namespace`. */
  applications: { prism: Side; reference: Side };
  /** prismapplications ↔ componentstatuses: verbs neither serves. */
  readOnly: { prism: Side; reference: Side };
  /** lifecycleevents ↔ selfsubjectreviews. */
  createOnly: { prism: Side; reference: Side };
  /** commandexecutions ↔ localsubjectaccessreviews, both in `namespace`. */
  createOnlyNamespaced: { prism: Side; reference: Side };
  /** commands ↔ clusterroles: deletion. */
  deletable: { prism: Side; reference: Side };
  /** A command Job (so a Command) and a ClusterRole of the same name, which the cases may delete for real. */
  deletableObjects(name: string): Promise<void>;
  stop(): Promise<void>;
}

function subject(
  group: string,
  version: string,
  resource: string,
  kind: string,
  names: readonly string[],
  namespace?: string,
): Subject {
  return {
    group,
    version,
    resource,
    singular: resource.replace(/s$/, ''),
    kind,
    names: [...names, ABSENT],
    ...(namespace ? { namespace } : {}),
  };
}

const application = (name: string, namespace: string) => ({
  apiVersion: 'app.k8s.io/v1beta1',
  kind: 'Application',
  metadata: { name, namespace, labels: APPLICATION_LABELS[name] ?? {} },
  spec: {
    componentKinds: [{ group: 'apps', kind: 'Deployment' }],
    selector: { matchLabels: { conformance: name } },
  },
});

const CONFORMANCE_LABEL = 'prismgate-conformance';

/**
 * A Job in the kappnav namespace labelled as a command Job (prism serves it as a Command), and a
 * ClusterRole of the same name; waits until the Command is served.
 */
async function createDeletableObjects(name: string, namespace: string, apiServer: Endpoint): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], {
    input: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name, labels: { [CONFORMANCE_LABEL]: 'true' } },
        rules: [],
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name,
          namespace: KAPPNAV_NAMESPACE,
          labels: {
            [CONFORMANCE_LABEL]: 'true',
            'kappnav-job-type': 'command',
            'kappnav-job-action-name': 'conformance',
            'kappnav-job-application-name': 'app1',
            'kappnav-job-application-namespace': namespace,
          },
          annotations: { 'kappnav-job-user-id': 'prismgate-admin' },
        },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'main', image: 'registry.invalid/none', command: ['true'] }],
            },
          },
        },
      },
    ],
  });
  await eventually(
    `the command Job ${name} to be served as a Command`,
    async () =>
      (await send(apiServer, { path: `/apis/prism.kappnav.io/v1/commands/${name}` })).status === 200,
    60_000,
    250,
  );
}

export async function startConformanceWorld(): Promise<ConformanceWorld> {
  const api = await startPrismApi();
  const namespace = await freshNamespace('conformance');
  await kubectlOk(['apply', '-f', '-'], {
    input: APPLICATION_NAMES.map((name) => application(name, namespace)),
  });
  const apiServer = apiServerEndpoint();
  const through = (s: Subject): Side => ({ subject: s, endpoint: apiServer });
  const prismApplications = subject(
    'prism.kappnav.io',
    'v1',
    'prismapplications',
    'PrismApplication',
    APPLICATION_NAMES,
    namespace,
  );
  await eventually(
    'every Application to be served as a prismapplication',
    async () => {
      const list = await send(apiServer, { path: collectionPath(prismApplications) });
      const names = (JSON.parse(list.text) as { items?: { metadata: { name: string } }[] }).items?.map(
        (item) => item.metadata.name,
      );
      return JSON.stringify(names) === JSON.stringify(APPLICATION_NAMES);
    },
    60_000,
    250,
  );
  const deletableNames = [`conformance-${namespace}`];
  await createDeletableObjects(deletableNames[0]!, namespace, apiServer);
  return {
    api,
    namespace,
    apiServer,
    applications: {
      prism: through(prismApplications),
      reference: through(
        subject('app.k8s.io', 'v1beta1', 'applications', 'Application', APPLICATION_NAMES, namespace),
      ),
    },
    readOnly: {
      prism: through(prismApplications),
      reference: through(subject('', 'v1', 'componentstatuses', 'ComponentStatus', ['etcd-0'])),
    },
    createOnly: {
      prism: through(subject('prism.kappnav.io', 'v1', 'lifecycleevents', 'LifecycleEvent', ['event'])),
      reference: through(
        subject('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', ['event']),
      ),
    },
    createOnlyNamespaced: {
      prism: through(
        subject('prism.kappnav.io', 'v1', 'commandexecutions', 'CommandExecution', ['run'], namespace),
      ),
      reference: through(
        subject(
          'authorization.k8s.io',
          'v1',
          'localsubjectaccessreviews',
          'LocalSubjectAccessReview',
          ['run'],
          namespace,
        ),
      ),
    },
    deletable: {
      prism: through(subject('prism.kappnav.io', 'v1', 'commands', 'Command', deletableNames)),
      reference: through(
        subject('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', deletableNames),
      ),
    },
    deletableObjects: (name) => createDeletableObjects(name, namespace, apiServer),
    async stop() {
      await kubectlOk(['delete', 'jobs', '-n', KAPPNAV_NAMESPACE, '-l', `${CONFORMANCE_LABEL}=true`]);
      await kubectlOk(['delete', 'clusterroles', '-l', `${CONFORMANCE_LABEL}=true`]);
      await api.stop();
    },
  };
}

/** The kubeconfig of the unprivileged user, for the authorization cases. */
export const developerKubeconfig = () => inject('developerKubeconfig');
