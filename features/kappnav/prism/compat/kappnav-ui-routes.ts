/**
 * What the kAppNav UI calls beyond the prism shapes (kAppNav's `ApplicationEndpoint` and `SecretsEndpoint`):
 *
 *   POST   {base}/application[?namespace=]            body: an Application      {"message": "OK"}
 *   PUT    {base}/application/{name}[?namespace=]     body: the Application     {"message": "OK"}
 *   DELETE {base}/application/{name}[?namespace=]                               {"message": "OK"}
 *   GET    {base}/secrets/{label-name}/{label-value}  {"secrets": [{kind, apiVersion, metadata: {name, namespace, labels}}]}
 *
 * The Application writes are made as the requesting user (impersonation.ts), so Kubernetes RBAC and
 * admission decide as for `kubectl`: a user who may not create Applications gets kube-apiserver's 403
 * (a metav1.Status, as on every path), not the seed's 207. Other failures of the write follow the seed's
 * convention (207 with kube-apiserver's message), a body that is not a JSON object 422.
 *
 * The UI lists the Secrets labelled `credential-type=app-navigator` only to offer their names as
 * credentials. kAppNav returned them whole, data included; here only the name, the namespace and the
 * label asked about, read metadata-only with prismgate's list of Secret names (rbac.yaml,
 * prismgate-tls-secret-names) and shown per namespace where the user may list Secrets.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KubeApiError } from '../../../../pkg/kube/kube-client.ts';
import { collectionPath, CORE_TYPES, objectPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { User } from '../../../../aggregated-api/authn/user.ts';
import type { ReadAccess } from '../../../../aggregated-api/authz/read-access.ts';
import { ApiError } from '../../../../server/api-error.ts';
import { labelKeyProblems, labelValueProblems } from '../../../../pkg/validation/names.ts';
import type { ActionDependencies } from '../actions/action-context.ts';
import { impersonationHeaders } from '../actions/impersonation.ts';
import { acceptJsonText, SeedInputError, seedNamespace, seedRoute } from './seed-convention.ts';

export interface UiRouteOptions {
  client: ActionDependencies['client'];
  access: ReadAccess;
}

interface Params {
  name?: string;
  label?: string;
  value?: string;
}

const APPLICATIONS = CORE_TYPES.applications;
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/**
 * kube-apiserver's refusal of an impersonated Application write: the user's own 403 as it worded it, or,
 * when prismgate may not act as users on Applications, a 403 saying so.
 */
function writeDenial(error: unknown, user: User, verb: string, namespace: string): unknown {
  if (!(error instanceof KubeApiError) || error.code !== 403) return error;
  if (error.status?.details?.kind === APPLICATIONS.resource)
    return new ApiError(403, 'Forbidden', error.status.message ?? error.message);
  return new ApiError(
    403,
    'Forbidden',
    `${verb} applications.app.k8s.io for user "${user.name}" in namespace "${namespace}" is forbidden: ` +
      `prismgate writes Applications as the requesting user and may not act as users on them ` +
      `(ClusterRole prismgate:application-writes): ${error.status?.message ?? error.message}`,
  );
}

export function kappnavUiRoutes(app: FastifyInstance, options: UiRouteOptions, done: () => void): void {
  const { client, access } = options;
  const bodyText = acceptJsonText(app);

  /** The request body as an object, or the seed's 422 naming it. */
  const applicationBody = (request: FastifyRequest): KubeObject => {
    const text = bodyText(request) ?? '';
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new SeedInputError(`body: Invalid value: the body is not JSON: ${(error as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new SeedInputError(`body: Invalid value: ${JSON.stringify(body)}: must be an Application object`);
    return body as KubeObject;
  };
  const write = async (user: User, verb: string, namespace: string, send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      throw writeDenial(error, user, verb, namespace);
    }
    return { message: 'OK' };
  };

  app.post(
    '/application',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      const body = applicationBody(request);
      return write(user, 'create', namespace, () =>
        client.request('POST', collectionPath(APPLICATIONS, namespace), {
          body,
          headers: impersonationHeaders(user),
        }),
      );
    }),
  );
  app.put(
    '/application/:name',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      const body = applicationBody(request);
      return write(user, 'update', namespace, () =>
        client.request('PUT', objectPath(APPLICATIONS, namespace, (request.params as Params).name ?? ''), {
          body,
          headers: impersonationHeaders(user),
        }),
      );
    }),
  );
  app.delete(
    '/application/:name',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      return write(user, 'delete', namespace, () =>
        client.request('DELETE', objectPath(APPLICATIONS, namespace, (request.params as Params).name ?? ''), {
          headers: impersonationHeaders(user),
        }),
      );
    }),
  );

  app.get(
    '/secrets/:label/:value',
    seedRoute(async (request, _query, user) => {
      const { label = '', value = '' } = request.params as Params;
      // Checked here so that the selector matches exactly one label (`a,b` would select on two).
      const problem = labelKeyProblems(label)[0] ?? labelValueProblems(value)[0];
      if (problem)
        throw new SeedInputError(
          `labelSelector: Invalid value: ${JSON.stringify(`${label}=${value}`)}: ${problem}`,
        );
      const list = await client.request<{ items?: KubeObject[] }>('GET', collectionPath(CORE_TYPES.secrets), {
        query: { labelSelector: `${label}=${value}` },
        headers: { accept: METADATA_LIST },
      });
      const items = list.items ?? [];
      const namespaces = [...new Set(items.map((s) => s.metadata?.namespace ?? ''))];
      const listable = await Promise.all(
        namespaces.map((namespace) =>
          access.allows(user, [
            { group: CORE_TYPES.secrets.group, resource: CORE_TYPES.secrets.resource, namespace },
          ]),
        ),
      );
      const shown = new Set(namespaces.filter((_namespace, index) => listable[index]));
      return {
        secrets: items
          .filter((s) => shown.has(s.metadata?.namespace ?? ''))
          .map((s) => ({
            kind: CORE_TYPES.secrets.kind,
            apiVersion: 'v1',
            metadata: {
              name: s.metadata?.name,
              namespace: s.metadata?.namespace,
              labels: { [label]: value },
            },
          })),
      };
    }),
  );
  done();
}
