/**
 * `commandexecutions` (kind CommandExecution, create-only, namespaced): runs a command action
 * (kappnav-prism.md §5.1) for an application of the namespace, or for one of its components, as the seed's
 * `POST /resource/{app}[/{component}/{kind}]/execute/command/{action}` did. The Job(s) are created in the
 * kappnav namespace, labelled as §5.1 says and annotated with the authenticated user; `status.jobs` names
 * them, and `kubectl get commands` lists them afterwards.
 *
 * Running a command takes `create commandexecutions` in the application's namespace (kube-apiserver and
 * this server both check it), `get` on the application and the component, and whatever the cmd-pattern's
 * functions read. Bad input is 422 naming the field (`spec.input.<field>`); a pattern error is 422 naming
 * the token; `--dry-run=server` resolves and validates without creating anything.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ResourceReference } from '../actions/action-context.ts';
import { nativeError } from '../actions/action-errors.ts';
import type { CommandRunner } from '../actions/command-runner.ts';
import { object, string } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
} from '../../../../aggregated-api/resource/served-resource.ts';
import { invalid } from '../../../../server/api-error.ts';
import { nameColumn } from '../../../../aggregated-api/table/table.ts';
import { readReference, RESOURCE_REFERENCE_SCHEMA, type Cause } from './request-fields.ts';

export interface JobReference {
  namespace: string;
  name: string;
  uid?: string;
}

export interface CommandExecution extends KubeObject {
  metadata: ObjectMeta;
  spec: { application: string; component?: ResourceReference; action: string; input?: unknown };
  status?: { user: string; jobs: JobReference[] };
}

export const COMMAND_EXECUTIONS: ResourceDefinition<CommandExecution> = {
  resource: 'commandexecutions',
  singularName: 'commandexecution',
  kind: 'CommandExecution',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: ['create'],
  description:
    'CommandExecution runs a kAppNav command action (a cmd-action of the action map) for an application of its namespace or for a component of it, as Kubernetes Jobs in the kappnav namespace. Create-only; the answer names the Jobs, which `kubectl get commands` lists.',
  properties: {
    spec: object('What to run.', {
      application: string('Name of the application, in the namespace of the CommandExecution.'),
      component: {
        ...RESOURCE_REFERENCE_SCHEMA,
        description:
          "A component of the application to run the action for; its namespace defaults to the application's. Without it, the action of the application itself runs.",
      },
      action: string('Name of the cmd-action.'),
      // Any JSON, not only a map: what is not a map is answered by the input check, in its words.
      input: {
        description:
          "The user input of the action's requires-input: a map of field name to value, checked against the input's fields and validators.",
        'x-kubernetes-preserve-unknown-fields': true,
      },
    }),
    status: object('What was created.', {
      user: string('The authenticated user recorded on the Jobs.'),
      jobs: {
        type: 'array',
        description: 'The Jobs created, one per pod for a path:podName:string command.',
        items: object('A Job.', {
          namespace: string('Namespace of the Job (the kappnav namespace).'),
          name: string('Name of the Job.'),
          uid: string('UID of the Job.'),
        }),
      },
    }),
  },
  columns: [nameColumn()],
  selectableFields: {},
};

function readSpec(body: KubeObject, name: string): CommandExecution['spec'] {
  const spec = (body['spec'] ?? {}) as Record<string, unknown>;
  const causes: Cause[] = [];
  for (const field of ['application', 'action'] as const)
    if (typeof spec[field] !== 'string' || spec[field] === '')
      causes.push({ field: `spec.${field}`, message: 'Required value' });
  const component =
    spec['component'] === undefined ? undefined : readReference(spec['component'], 'spec.component', causes);
  if (causes.length > 0) throw invalid(COMMAND_EXECUTIONS.kind, name, causes);
  return {
    application: spec['application'] as string,
    ...(component ? { component } : {}),
    action: spec['action'] as string,
    ...(spec['input'] === undefined ? {} : { input: spec['input'] }),
  };
}

/** The name kube-apiserver would give: the one asked for, or `generateName` with a random suffix. */
function objectName(metadata: ObjectMeta | undefined, fallback: string): string {
  if (metadata?.name) return metadata.name;
  if (metadata?.generateName) return `${metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
  return fallback;
}

export class CommandExecutions implements CreatableResource<CommandExecution> {
  readonly definition = COMMAND_EXECUTIONS;

  constructor(private readonly runner: CommandRunner) {}

  async create(request: CreateRequest): Promise<CommandExecution> {
    const requested = request.body.metadata?.name ?? '';
    const spec = readSpec(request.body, requested);
    const namespace = request.namespace ?? request.body.metadata?.namespace ?? 'default';
    let jobs: KubeObject[];
    try {
      jobs = await this.runner.run(
        request.user,
        {
          application: { namespace, name: spec.application },
          ...(spec.component ? { component: spec.component } : {}),
          action: spec.action,
          // The seed took the input as the request body; the domain validates that text (a map, known fields).
          input: spec.input === undefined ? undefined : JSON.stringify(spec.input),
        },
        request.dryRun,
      );
    } catch (error) {
      throw nativeError(error, {
        kind: COMMAND_EXECUTIONS.kind,
        name: requested,
        patternField: 'spec.action',
      });
    }
    const references = jobs.map((job) => ({
      namespace: job.metadata?.namespace ?? '',
      name: job.metadata?.name ?? '',
      ...(job.metadata?.uid ? { uid: job.metadata.uid } : {}),
    }));
    return {
      apiVersion: PRISM_GROUP_VERSION,
      kind: COMMAND_EXECUTIONS.kind,
      metadata: {
        ...(request.body.metadata ?? {}),
        name: objectName(request.body.metadata, references.at(-1)?.name ?? ''),
        namespace,
        creationTimestamp: new Date().toISOString(),
      },
      spec,
      status: { user: request.user.name, jobs: references },
    };
  }
}
