/**
 * What the kAppNav UI calls beyond the prism shapes (kAppNav's `ApplicationEndpoint` and `SecretsEndpoint`):
 *
 *   POST   {base}/application[?namespace=]            body: an Application      {"message": "OK"}
 *   PUT    {base}/application/{name}[?namespace=]     body: the Application     {"message": "OK"}
 *   DELETE {base}/application/{name}[?namespace=]                               {"message": "OK"}
 *   GET    {base}/secrets/{label-name}/{label-value}  {"secrets": [{kind, apiVersion, metadata: {name, namespace, labels}}]}
 *
 * An Application write is made once a SubjectAccessReview found the user allowed the same verb on the
 * same object (`create applications` in the namespace, `update`/`delete` of the named one), so a user who
 * may not gets a 403 (a metav1.Status, as on every path), not the seed's 207. It is then sent as prismgate
 * rather than impersonating the user: kube-apiserver refuses to impersonate system:masters, the group
 * of many administrators' credentials. Failures of the write follow the seed's convention (207 with
 * kube-apiserver's message), a body that is not a JSON object 422.
 *
 * The UI lists the Secrets labelled `credential-type=app-navigator` only to offer their names as
 * credentials. kAppNav returned them whole, data included; here only the name, the namespace and the
 * label asked about, read metadata-only with prismgate's list of Secret names (rbac.yaml,
 * prismgate-tls-secret-names) and shown per namespace where the user may list Secrets.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { METADATA_LIST } from '../../../../pkg/kube/resource-cache.ts';
import { collectionPath, CORE_TYPES, objectPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type { ReadAccess } from '../../../../aggregated-api/authz/read-access.ts';
import type { Reviewer } from '../../../../server/delegated-auth/access-review.ts';
import { requireAccess } from '../../../../aggregated-api/authz/require-access.ts';
import { labelKeyProblems, labelValueProblems } from '../../../../pkg/validation/names.ts';
import type { ActionDependencies } from '../actions/action-context.ts';
import { acceptJsonText, SeedInputError, seedNamespace, seedRoute } from './seed-convention.ts';

export interface UiRouteOptions {
  client: ActionDependencies['client'];
  access: ReadAccess;
  reviewer: Reviewer;
}

interface Params {
  name?: string;
  label?: string;
  value?: string;
}

const APPLICATIONS = CORE_TYPES.applications;

export function kappnavUiRoutes(app: FastifyInstance, options: UiRouteOptions, done: () => void): void {
  const { client, access, reviewer } = options;
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
  /** `verb` of the Application as the user may, answered as the seed answers a write. */
  const write = async (
    user: User,
    verb: 'create' | 'update' | 'delete',
    namespace: string,
    name: string | undefined,
    send: () => Promise<unknown>,
  ) => {
    await requireAccess(reviewer, user, {
      verb,
      group: APPLICATIONS.group,
      resource: APPLICATIONS.resource,
      namespace,
      ...(name ? { name } : {}),
    });
    await send();
    return { message: 'OK' };
  };

  app.post(
    '/application',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      const body = applicationBody(request);
      return write(user, 'create', namespace, undefined, () =>
        client.request('POST', collectionPath(APPLICATIONS, namespace), { body }),
      );
    }),
  );
  app.put(
    '/application/:name',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      const name = (request.params as Params).name ?? '';
      const body = applicationBody(request);
      return write(user, 'update', namespace, name, () =>
        client.request('PUT', objectPath(APPLICATIONS, namespace, name), { body }),
      );
    }),
  );
  app.delete(
    '/application/:name',
    seedRoute((request, query, user) => {
      const namespace = seedNamespace(query);
      const name = (request.params as Params).name ?? '';
      return write(user, 'delete', namespace, name, () =>
        client.request('DELETE', objectPath(APPLICATIONS, namespace, name)),
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
