/**
 * Makes the cluster call prismgate: the Service the API server resolves, the webhook configurations and
 * the APIService, all carrying prismgate's CA bundle (never insecureSkipTLSVerify), applied with
 * server-side apply so that re-registration is idempotent and other field managers are respected.
 */
import type { KubeClient } from '../pkg/kube/kube-client.ts';
import type { KubeObject } from '../pkg/kube/types.ts';
import type { AdmissionEndpoint, WebhookDeclaration } from '../webhook/admission-endpoint.ts';

export const FIELD_MANAGER = 'prismgate';
export const WEBHOOK_CONFIGURATION_NAME = 'prismgate';
export const PRISM_GROUP = 'prism.kappnav.io';
export const PRISM_VERSION = 'v1';
export const API_SERVICE_NAME = `${PRISM_VERSION}.${PRISM_GROUP}`;
/** Label that lets a namespace opt out of every prismgate webhook (e.g. during an emergency). */
export const OPT_OUT_LABEL = 'prismgate.kappnav.io/ignore';

export interface RegistrationTarget {
  namespace: string;
  serviceName: string;
  webhookPort: number;
  apiPort: number;
  caBundlePem: string;
}

const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The local-machine Service: there is no pod and endpoints may not hold loopback addresses, so the API
 * server reaches prismgate through an ExternalName Service that resolves to localhost. Its port names
 * matter: the aggregator's availability check matches the APIService port by name on ClusterIP
 * services, and the same names are used in-cluster.
 */
export function localService(target: RegistrationTarget): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: target.serviceName,
      namespace: target.namespace,
      labels: { 'app.kubernetes.io/name': 'prismgate' },
    },
    spec: {
      type: 'ExternalName',
      externalName: 'localhost',
      ports: [
        { name: 'webhook', port: target.webhookPort, protocol: 'TCP' },
        // No API listener, no api port (a port must be 1-65535).
        ...(target.apiPort ? [{ name: 'api', port: target.apiPort, protocol: 'TCP' }] : []),
      ],
    },
  };
}

function webhookEntry(
  declaration: WebhookDeclaration,
  path: string,
  target: RegistrationTarget,
  mutating: boolean,
) {
  return {
    name: declaration.name,
    admissionReviewVersions: ['v1'],
    sideEffects: 'None',
    failurePolicy: declaration.failurePolicy ?? 'Fail',
    matchPolicy: 'Equivalent',
    timeoutSeconds: declaration.timeoutSeconds ?? 5,
    ...(mutating ? { reinvocationPolicy: declaration.reinvocationPolicy ?? 'Never' } : {}),
    rules: declaration.rules.map((rule) => ({ scope: '*', ...rule })),
    // The control plane's own namespaces and prismgate's are never subject to it: a broken webhook must
    // not be able to block the components that would repair it.
    namespaceSelector: {
      matchExpressions: [
        {
          key: 'kubernetes.io/metadata.name',
          operator: 'NotIn',
          values: [...SYSTEM_NAMESPACES, target.namespace],
        },
        { key: OPT_OUT_LABEL, operator: 'NotIn', values: ['true'] },
      ],
    },
    ...(declaration.matchConditions?.length ? { matchConditions: declaration.matchConditions } : {}),
    clientConfig: {
      service: { namespace: target.namespace, name: target.serviceName, port: target.webhookPort, path },
      caBundle: Buffer.from(target.caBundlePem).toString('base64'),
    },
  };
}

export function webhookConfiguration(
  kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration',
  endpoints: AdmissionEndpoint[],
  target: RegistrationTarget,
): KubeObject {
  const mutating = kind === 'MutatingWebhookConfiguration';
  const own = endpoints.filter((e) => e.type === (mutating ? 'mutating' : 'validating'));
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: WEBHOOK_CONFIGURATION_NAME, labels: { 'app.kubernetes.io/name': 'prismgate' } },
    webhooks: own
      .map((endpoint) => ({ endpoint, declaration: endpoint.declaration() }))
      // A webhook with no rules (e.g. no policy names any kind yet) is left out rather than registered empty.
      .filter(({ declaration }) => declaration.rules.length > 0)
      .map(({ endpoint, declaration }) => webhookEntry(declaration, endpoint.path, target, mutating)),
  };
}

export function apiService(target: RegistrationTarget): KubeObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: API_SERVICE_NAME, labels: { 'app.kubernetes.io/name': 'prismgate' } },
    spec: {
      group: PRISM_GROUP,
      version: PRISM_VERSION,
      groupPriorityMinimum: 1000,
      versionPriority: 15,
      service: { namespace: target.namespace, name: target.serviceName, port: target.apiPort },
      caBundle: Buffer.from(target.caBundlePem).toString('base64'),
    },
  };
}

const PATHS: Record<string, (o: KubeObject) => string> = {
  Namespace: (o) => `/api/v1/namespaces/${o.metadata?.name}`,
  Service: (o) => `/api/v1/namespaces/${o.metadata?.namespace}/services/${o.metadata?.name}`,
  ValidatingWebhookConfiguration: (o) =>
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${o.metadata?.name}`,
  MutatingWebhookConfiguration: (o) =>
    `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${o.metadata?.name}`,
  APIService: (o) => `/apis/apiregistration.k8s.io/v1/apiservices/${o.metadata?.name}`,
};

function pathOf(object: KubeObject): string {
  const path = PATHS[object.kind ?? ''];
  if (!path) throw new Error(`prismgate does not register objects of kind ${object.kind}`);
  return path(object);
}

/** Server-side apply as prismgate's field manager, taking over fields prismgate owns. */
export async function apply(client: KubeClient, object: KubeObject): Promise<KubeObject> {
  return client.request('PATCH', pathOf(object), {
    query: { fieldManager: FIELD_MANAGER, force: true },
    body: object,
    contentType: 'application/apply-patch+yaml',
  });
}

/** Deletes a registered object; absent is fine. */
export async function remove(client: KubeClient, object: KubeObject): Promise<void> {
  try {
    await client.request('DELETE', pathOf(object));
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}

/** Creates the namespace unless it exists (reading it needs no more than `get namespaces`). */
export async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.request('GET', PATHS['Namespace']!({ metadata: { name } }));
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    await apply(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}
