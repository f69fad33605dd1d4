/**
 * Running a command action (kappnav-prism.md §5.1, §5.2) for an application or for a component of an
 * application: the target read once the user may `get` it, the action found in the target's merged action
 * map, the plan made by who defined it (commands/command-trust.ts), the input validated, the cmd-pattern
 * resolved as the user, and the Job(s) created, recorded for the authenticated user (never a name the
 * client chose): a trusted author's in the kappnav namespace with prismgate's identity, a tenant's in its
 * map's namespace as the requesting user (impersonation.ts), so Kubernetes RBAC decides. Who may run
 * commands at all is decided before this runs: the native resource by the request's own authorization
 * (`create commandexecutions`), the seed shapes by the same review (`seed-routes`).
 */
import { APPLICATION_TYPE } from '../../model/application.ts';
import { CORE_TYPES, apiVersionOf, collectionPath } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { CommandTarget } from '../../commands/command-job.ts';
import { planCommand, type CommandPlan } from '../../commands/command-trust.ts';
import { prepareCommandJobs } from '../../commands/prepare-command.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import {
  asUser,
  objectText,
  readNamedResource,
  type ActionDependencies,
  type ResourceReference,
} from './action-context.ts';
import { TargetError } from './action-errors.ts';
import { impersonationDenial, impersonationHeaders } from './impersonation.ts';

export interface CommandRequest {
  application: { namespace: string; name: string };
  /** A component of the application; its namespace defaults to the application's. */
  component?: ResourceReference;
  action: string;
  /** The user input as JSON text (a map of field to value); undefined or blank for none. */
  input: string | undefined;
}

function sameObject(a: KubeObject, b: KubeObject): boolean {
  const uid = a.metadata?.uid;
  if (uid && uid === b.metadata?.uid) return true;
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.metadata?.namespace === b.metadata?.namespace &&
    a.metadata?.name === b.metadata?.name
  );
}

export class CommandRunner {
  constructor(private readonly deps: ActionDependencies) {}

  /** The Jobs created (with `dryRun`, as kube-apiserver would create them); throws as `action-errors` describes. */
  async run(user: User, request: CommandRequest, dryRun: boolean): Promise<KubeObject[]> {
    const { target, resource, namespace } = await this.target(user, request);
    const plan = planCommand(
      this.deps.model.mapsOf(resource).actions,
      request.action,
      namespace,
      await this.deps.trust.policy(),
      this.deps.cluster.kappnavConfig().serviceAccountName,
    );
    const jobs = await asUser(this.deps, user, (services) =>
      prepareCommandJobs({
        target,
        actionMap: plan.actionMap,
        actionName: request.action,
        body: request.input,
        user: user.name,
        placement: plan.placement,
        services,
      }),
    );
    const created: KubeObject[] = [];
    // One by one, as the reference: a failure stops the fan-out and is answered.
    for (const job of jobs) created.push(await this.create(user, plan, job, dryRun));
    return created;
  }

  private async create(user: User, plan: CommandPlan, job: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const { namespace } = plan.placement;
    try {
      return await this.deps.client.request<KubeObject>('POST', collectionPath(CORE_TYPES.jobs, namespace), {
        body: job,
        ...(dryRun ? { query: { dryRun: 'All' } } : {}),
        ...(plan.authority.trusted ? {} : { headers: impersonationHeaders(user) }),
      });
    } catch (error) {
      throw plan.authority.trusted
        ? error
        : impersonationDenial(error, user, 'running the command', namespace);
    }
  }

  private async target(
    user: User,
    request: CommandRequest,
  ): Promise<{ target: CommandTarget; resource: KubeObject; namespace: string }> {
    const { namespace, name } = request.application;
    const application = await readNamedResource(
      this.deps,
      user,
      { apiVersion: apiVersionOf(APPLICATION_TYPE), kind: APPLICATION_TYPE.kind, namespace, name },
      'spec.application',
    );
    if (!request.component)
      return {
        target: { scope: 'application', application: application.object },
        resource: application.object,
        namespace,
      };
    const component = await readNamedResource(
      this.deps,
      user,
      { namespace, ...request.component },
      'spec.component',
    );
    const view = this.deps.model.current.applications.find(
      (a) => a.application.namespace === namespace && a.application.name === name,
    );
    // A Job is labelled with its application: it must really be one of the application's components.
    if (!view?.components.some((c) => sameObject(c.object, component.object)))
      throw new TargetError(
        'invalid',
        'spec.component',
        `${component.type.kind} ${objectText(component.object.metadata?.namespace, request.component.name)} is not a component of application ${namespace}/${name}`,
      );
    return {
      target: { scope: 'component', application: { namespace, name }, component: component.object },
      resource: component.object,
      // A cluster-scoped component's commands belong to the application's namespace.
      namespace: component.object.metadata?.namespace ?? namespace,
    };
  }
}
