/**
 * The seed's action, command and KindActionMapping shapes (kappnav-prism.md §1.3 #10, #12–#16, #18–#19),
 * beside the native resources and answered by the same code:
 *
 *   GET    {base}/resource/{name}/{kind}?action-pattern=[&namespace=][&apiVersion=]      {"action": "<resolved>"}
 *   POST   {base}/resource/{app}/execute/command/{action}[?namespace=]                   the (last) Job created
 *   POST   {base}/resource/{app}/{component}/{kind}/execute/command/{action}
 *            [?namespace=<component's>][&application-namespace=][&apiVersion=]          the (last) Job created
 *   GET    {base}/resource/commands[?time=][&user=][&locale=]                  {"commands": [Job…], "action-map": …}
 *   GET    {base}/resource/command-time                                        {"time": "yyyy-MM-ddTHH:mm:ss.000Z"}
 *   DELETE {base}/resource/command/{job}                                       {"message": "OK"}
 *   GET    {base}/kindactionmapping/{kind}[?type=][&apiversion=][&name=][&subkind=][&namespace=]
 *            [&owner-apiversion=][&owner-kind=][&owner-uid=]                   {"candidate-maps": […], "map": …}
 *   GET    {base}/kindactionmapping/resources/{name}/{kind}[?type=][&apiversion=][&namespace=]   the same, live
 *
 * kube-apiserver authorizes these as `kappnav/resource` (get, create, delete) and `kappnav/kindactionmapping`
 * (get). Each also needs what its native form needs — `create actionresolutions` (or
 * `localactionresolutions` in the resource's namespace), `create commandexecutions` in the application's
 * namespace, `list commands`, `delete commands`, `create mappingpreviews` (or `localmappingpreviews` in
 * the namespace asked about) — so granting the seed shapes never grants more than the native resources,
 * and a RoleBinding of the native verbs scopes them to its namespace (docs/security.md, "The seed's
 * routes"). The user a command is recorded for is the authenticated one; the seed's `kappnav-user` cookie
 * and `x-user` header are ignored.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isMapType, type MapType } from '../../kam/kind-action-mapping.ts';
import { selectCommands } from '../../commands/command-list.ts';
import { formatCommandTime } from '../../commands/command-time.ts';
import {
  readNamedResource,
  type ActionDependencies,
  type ResourceReference,
} from '../actions/action-context.ts';
import {
  commandReadRequirements,
  deleteCommandJob,
  ownershipOf,
  type CommandJobSource,
} from '../actions/command-jobs.ts';
import type { CommandRunner } from '../actions/command-runner.ts';
import type { PatternResolution } from '../actions/pattern-resolution.ts';
import { PRISM_GROUP } from '../api-group.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import { requireAccess } from '../../../../aggregated-api/authz/require-access.ts';
import { queryValue, type Query } from '../../../../aggregated-api/request/list-options.ts';
import { ACTION_RESOLUTIONS } from '../resources/action-resolutions.ts';
import { COMMAND_EXECUTIONS } from '../resources/command-executions.ts';
import { COMMANDS } from '../resources/commands.ts';
import { MAPPING_PREVIEWS, mappingPreview, previewResource } from '../resources/mapping-previews.ts';
import { acceptJsonText, SeedError, seedActionMap, seedNamespace, seedRoute } from './seed-convention.ts';

export interface ActionRouteOptions {
  actions: ActionDependencies;
  resolution: PatternResolution;
  runner: CommandRunner;
  jobs: CommandJobSource;
}

interface Params {
  name?: string;
  kind?: string;
  application?: string;
  component?: string;
  action?: string;
  job?: string;
}

/** The seed's `apiVersion` defaulted to the literal "default" (QUIRK): empty or "default" means "from the kind". */
function seedApiVersion(query: Query, parameter: string): string | undefined {
  const value = queryValue(query, parameter);
  return value && value !== 'default' ? value : undefined;
}

function mapType(query: Query): MapType {
  const type = queryValue(query, 'type') || 'actions';
  if (!isMapType(type)) throw new SeedError(`Invalid configMap type: ${type}`);
  return type;
}

export function kappnavActionRoutes(
  app: FastifyInstance,
  options: ActionRouteOptions,
  done: () => void,
): void {
  const { actions, resolution, runner, jobs } = options;
  const { reviewer, cluster, access, model } = actions;
  const needs = (user: User, verb: string, resource: string, namespace?: string, name?: string) =>
    requireAccess(reviewer, user, {
      verb,
      group: PRISM_GROUP,
      resource,
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    });
  /**
   * The cluster-scoped create-only verb, or its namespaced variant (local-variants.ts) in `namespace`;
   * the 403 names the cluster-scoped one.
   */
  const needsEither = async (user: User, resource: string, namespace: string | undefined) => {
    const local = { verb: 'create', group: PRISM_GROUP, resource: `local${resource}`, namespace };
    if (namespace && (await reviewer.review(user, { resource: local })).allowed) return;
    await needs(user, 'create', resource);
  };
  // The command routes take the user input as the request body, JSON text the domain reads itself.
  const bodyText = acceptJsonText(app);

  app.get(
    '/resource/:name/:kind',
    seedRoute(async (request, query, user) => {
      const { name = '', kind = '' } = request.params as Params;
      const namespace = seedNamespace(query);
      await needsEither(user, ACTION_RESOLUTIONS.resource, namespace);
      const action = await resolution.resolve(user, {
        resource: { kind, apiVersion: seedApiVersion(query, 'apiVersion'), namespace, name },
        pattern: queryValue(query, 'action-pattern') ?? '',
        input: {},
      });
      return { action };
    }),
  );

  const execute = async (
    request: FastifyRequest,
    user: User,
    namespace: string,
    component?: ResourceReference,
  ) => {
    const { application = '', action = '' } = request.params as Params;
    await needs(user, 'create', COMMAND_EXECUTIONS.resource, namespace);
    const created = await runner.run(
      user,
      {
        application: { namespace, name: application },
        ...(component ? { component } : {}),
        action,
        input: bodyText(request),
      },
      false,
    );
    return created.at(-1);
  };
  app.post(
    '/resource/:application/execute/command/:action',
    seedRoute((request, query, user) => execute(request, user, seedNamespace(query))),
  );
  app.post(
    '/resource/:application/:component/:kind/execute/command/:action',
    seedRoute((request, query, user) => {
      const { component = '', kind = '' } = request.params as Params;
      const reference = {
        apiVersion: seedApiVersion(query, 'apiVersion'),
        kind,
        namespace: seedNamespace(query),
        name: component,
      };
      return execute(request, user, seedNamespace(query, 'application-namespace'), reference);
    }),
  );

  app.get(
    '/resource/commands',
    seedRoute(async (_request, query, user) => {
      await needs(user, 'list', COMMANDS.resource);
      const all = [...jobs.jobs()].sort((a, b) =>
        (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
      );
      const allowed = await Promise.all(
        all.map((job) =>
          access.allows(user, commandReadRequirements(ownershipOf(job), user, cluster.kappnavNamespace)),
        ),
      );
      const { commands, actionMapJob } = selectCommands(
        all.filter((_job, index) => allowed[index]),
        { user: queryValue(query, 'user') || user.name, time: queryValue(query, 'time') },
      );
      return {
        commands,
        ...(actionMapJob
          ? { 'action-map': seedActionMap(model.mapsOf(actionMapJob).actions, query, cluster) }
          : {}),
      };
    }),
  );
  app.get(
    '/resource/command-time',
    seedRoute(async () => ({ time: formatCommandTime(new Date()) })),
  );
  app.delete(
    '/resource/command/:job',
    seedRoute(async (request, _query, user) => {
      const { job: name = '' } = request.params as Params;
      await needs(user, 'delete', COMMANDS.resource, undefined, name);
      const job = jobs.jobs().find((j) => j.metadata?.name === name);
      const visible =
        job &&
        (await access.allows(
          user,
          commandReadRequirements(ownershipOf(job), user, cluster.kappnavNamespace),
        ));
      if (!job || !visible) throw new SeedError(`jobs.batch "${name}" not found`);
      await deleteCommandJob(actions, user, job, false);
      return { message: 'OK' };
    }),
  );

  app.get(
    '/kindactionmapping/:kind',
    seedRoute(async (request, query, user) => {
      const { kind = '' } = request.params as Params;
      await needsEither(user, MAPPING_PREVIEWS.resource, queryValue(query, 'namespace') || undefined);
      const owner = {
        apiVersion: queryValue(query, 'owner-apiversion'),
        kind: queryValue(query, 'owner-kind'),
        uid: queryValue(query, 'owner-uid'),
      };
      const resource = previewResource({
        apiVersion: queryValue(query, 'apiversion') || 'v1',
        kind,
        name: queryValue(query, 'name'),
        subkind: queryValue(query, 'subkind'),
        namespace: queryValue(query, 'namespace'),
        owner,
      });
      const preview = await mappingPreview(cluster, access, user, mapType(query), resource);
      return { 'candidate-maps': preview.candidateMaps, map: preview.map };
    }),
  );
  app.get(
    '/kindactionmapping/resources/:name/:kind',
    seedRoute(async (request, query, user) => {
      const { name = '', kind = '' } = request.params as Params;
      await needsEither(user, MAPPING_PREVIEWS.resource, seedNamespace(query));
      const type = mapType(query);
      const { object } = await readNamedResource(
        actions,
        user,
        { kind, apiVersion: seedApiVersion(query, 'apiversion'), namespace: seedNamespace(query), name },
        'resource',
      );
      const preview = await mappingPreview(cluster, access, user, type, object);
      return { 'candidate-maps': preview.candidateMaps, map: preview.map };
    }),
  );
  done();
}
