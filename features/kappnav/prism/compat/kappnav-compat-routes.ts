/**
 * The seed API's JSON shapes, for existing kAppNav UI clients, under the group version so that
 * `kubectl proxy` reaches them: the seed's base URL `…/kappnav` becomes `…/apis/prism.kappnav.io/v1/kappnav/api`
 * or `…/v1/kappnav` (COMPAT_BASES).
 *
 *   GET {base}/applications[?namespace=][&locale=]              {"applications":[{application, action-map, section-map}]}
 *   GET {base}/applications/{name}[?namespace=][&locale=]       the same with 0 or 1 entry
 *   GET {base}/components/{application}[?namespace=][&locale=]  {"components":[{component, action-map, section-map}]}
 *   GET {base}/namespaces                                       {"namespaces":[Namespace, …]}
 *   GET {base}/status/{name}/{kind}[?namespace=][&apiversion=]  {"value", "flyover", "flyover.nls"}
 *   GET {base}/resource/{name}/{kind}/actions[?namespace=][&apiVersion=][&locale=]  the merged action map
 *   GET {base}/configmap/{name}[?namespace=]                    the ConfigMap (the UI's kappnav-config)
 *   GET {base}/application/{name}[?namespace=]                  the Application
 *
 * kube-apiserver authorizes a path before proxying it as `<verb> <resource>/<subresource>` named by the
 * segment in between, and ignores what follows: `{base}/components/x` is `get kappnav/components` named
 * `api`. So the seed's endpoint name is the subresource (RBAC has no wildcard for subresources of one
 * resource, only `*` for all) and RBAC grants the shapes with a bounded list:
 * "kappnav/resource"]`. The answers are then scoped per object like the native resources, and what names
 * one object is authorized before it is looked up, as the native gets are (name-authorization.ts,
 * issue 15, finding 6): `applications/{name}` and `components/{application}` need `list` of the
 * Applications of the namespace, `status/{name}/{kind}` and `resource/{name}/{kind}/actions` `get` of the
 * resource; without it the answer is 403 whether the object exists or not. Errors other than 401/403
 * follow the seed's convention: 207 with `{"message": …}`. `namespace` defaults to `default` except for
 * the application list (all namespaces), as in the seed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import { apiVersionOf, CORE_TYPES } from '../../../../pkg/kube/resource-type.ts';
import type { ResourceReference } from '../actions/action-context.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type { ReadAccess, ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import { forbidden } from '../../../../server/delegated-auth/access-review.ts';
import type { KappnavSource } from '../../cluster/kappnav-source.ts';
import { servedType, type KindDiscovery, type ObjectReader } from '../../cluster/object-reader.ts';
import type { Insight, PrismModel } from '../model/prism-model.ts';
import { queryValue, type Query } from '../../../../aggregated-api/request/list-options.ts';
import { applicationReadRequirement } from '../resources/applications.ts';
import { namespaceReadRequirement } from '../resources/namespaces.ts';
import { objectReadRequirement } from '../resources/projection.ts';
import { SeedError, seedActionMap, seedNamespace, seedRoute } from './seed-convention.ts';

export interface CompatOptions {
  model: PrismModel;
  cluster: KappnavSource;
  discovery: KindDiscovery;
  reader: ObjectReader;
  access: ReadAccess;
}

interface Params {
  name?: string;
  kind?: string;
}

function entry(insight: Insight, key: 'application' | 'component', query: Query, cluster: KappnavSource) {
  return {
    [key]: insight.object,
    'action-map': seedActionMap(insight.actions, query, cluster),
    'section-map': insight.sections,
  };
}

export function kappnavCompatRoutes(app: FastifyInstance, options: CompatOptions, done: () => void): void {
  const { model, cluster, access } = options;
  const visible = async <T>(
    user: User,
    items: readonly T[],
    requirements: (item: T) => ReadRequirement[],
  ) => {
    const allowed = await Promise.all(items.map((item) => access.allows(user, requirements(item))));
    return items.filter((_item, index) => allowed[index]);
  };
  /** 403 unless the user meets `requirements` (what a single object's answer shows). */
  const authorize = async (user: User, requirements: ReadRequirement[]) => {
    const denial = await access.denial(user, requirements);
    if (denial) throw forbidden(user.name, { resource: denial.attributes }, denial.reason);
  };
  const visibleApplications = (user: User, namespace: string | undefined, name?: string) =>
    visible(
      user,
      model.current.applications.filter(
        (a) =>
          !a.application.hidden &&
          (namespace === undefined || a.application.namespace === namespace) &&
          (name === undefined || a.application.name === name),
      ),
      (a) => [applicationReadRequirement(a.application.namespace)],
    );
  const applicationEntries = async (user: User, query: Query, namespace?: string, name?: string) => ({
    applications: (await visibleApplications(user, namespace, name)).map((a) =>
      entry(a, 'application', query, cluster),
    ),
  });
  app.get(
    '/applications',
    seedRoute((_request, query, user) =>
      applicationEntries(user, query, queryValue(query, 'namespace') || undefined),
    ),
  );
  app.get(
    '/applications/:name',
    seedRoute(async (request, query, user) => {
      const namespace = seedNamespace(query);
      await authorize(user, [applicationReadRequirement(namespace)]);
      return applicationEntries(user, query, namespace, (request.params as Params).name ?? '');
    }),
  );

  app.get(
    '/components/:name',
    seedRoute(async (request, query, user) => {
      const { name = '' } = request.params as Params;
      const namespace = seedNamespace(query);
      await authorize(user, [applicationReadRequirement(namespace)]);
      const [application] = await visibleApplications(user, namespace, name);
      if (!application) throw new SeedError(`application ${namespace}/${name} not found`);
      const components = await visible(user, application.components, (c) => [
        objectReadRequirement(c.type, c.object.metadata?.namespace),
      ]);
      return { components: components.map((c) => entry(c, 'component', query, cluster)) };
    }),
  );

  app.get(
    '/namespaces',
    seedRoute(async (_request, _query, user) => ({
      namespaces: await visible(user, cluster.namespaces(), (n) => [
        namespaceReadRequirement(n.metadata?.name ?? ''),
      ]),
    })),
  );

  /** The named resource, once the user may get it (403 otherwise, whether it exists or not). */
  const namedResource = async (user: User, reference: ResourceReference & { namespace: string }) => {
    const { name, kind, namespace } = reference;
    const type = servedType(options.discovery, kind, reference.apiVersion);
    if (!type) throw new SeedError(`getResource Unknown kind: ${kind}`);
    await authorize(user, [
      { ...objectReadRequirement(type, namespace), name },
      objectReadRequirement(type, namespace),
    ]);
    const resource: KubeObject | undefined = await options.reader.read(type, namespace, name);
    if (!resource) throw new SeedError(`${kind} ${namespace}/${name} not found`);
    return resource;
  };
  /** The resource the path names, its apiVersion from `apiVersionParameter`. */
  const pathResource = (request: FastifyRequest, query: Query, user: User, apiVersionParameter: string) => {
    const { name = '', kind = '' } = request.params as Params;
    const apiVersion = queryValue(query, apiVersionParameter) || undefined;
    return namedResource(user, { name, kind, apiVersion, namespace: seedNamespace(query) });
  };

  // The UI reads kAppNav's settings (status colours and precedence, polling interval) from
  // `configmap/kappnav-config?namespace=kappnav`, and shows an Application before editing it. Both are
  // the object as kube-apiserver stores it, read only when the user may get it.
  app.get(
    '/configmap/:name',
    seedRoute((request, query, user) =>
      namedResource(user, {
        name: (request.params as Params).name ?? '',
        kind: CORE_TYPES.configMaps.kind,
        apiVersion: apiVersionOf(CORE_TYPES.configMaps),
        namespace: seedNamespace(query),
      }),
    ),
  );
  app.get(
    '/application/:name',
    seedRoute((request, query, user) =>
      namedResource(user, {
        name: (request.params as Params).name ?? '',
        kind: CORE_TYPES.applications.kind,
        apiVersion: apiVersionOf(CORE_TYPES.applications),
        namespace: seedNamespace(query),
      }),
    ),
  );

  app.get(
    '/status/:name/:kind',
    seedRoute(async (request, query, user) => {
      const resource = await pathResource(request, query, user, 'apiversion');
      const [status] = await model.evaluation().statusesOf([resource]);
      return status;
    }),
  );

  app.get(
    '/resource/:name/:kind/actions',
    seedRoute(async (request, query, user) => {
      const resource = await pathResource(request, query, user, 'apiVersion');
      return seedActionMap(model.mapsOf(resource).actions, query, cluster);
    }),
  );
  done();
}
