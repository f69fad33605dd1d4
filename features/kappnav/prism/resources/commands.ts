/**
 * `commands` (kind Command, cluster-scoped): the command Jobs (kappnav-prism.md §5.3), one object per Job
 * labelled `kappnav-job-type=command` in the kappnav namespace, named like the Job, with its labels (so
 * `-l kappnav-job-action-name=…` selects), what ran for whom, its phase, and the Job's action map (the
 * seed's `action-map` of the command list; `?locale=` translates it). `kubectl get commands` lists them,
 * `kubectl delete command <name>` deletes the Job and its pods.
 *
 * A user sees their own commands, and all of them when they may list Jobs in the kappnav namespace
 * (command-jobs.ts). Filters: `--field-selector spec.user=<user>` (and `spec.action`,
 * `spec.application.name`, `spec.application.namespace`, `status.phase`), and `?completedAfter=<time>`,
 * the seed's `time`: Jobs completed strictly after it (UTC, second precision; running ones excluded).
 */
import type { KubeObject, KubeStatus, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { ActionMap } from '../../actions/action-map.ts';
import { JOB_ANNOTATIONS, JOB_LABELS } from '../../commands/command-job.ts';
import { CommandError } from '../../commands/command-error.ts';
import { completedAfter } from '../../commands/command-list.ts';
import { parseCommandTime } from '../../commands/command-time.ts';
import { PRISM_GROUP, PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ActionDependencies } from '../actions/action-context.ts';
import {
  commandReadRequirements,
  commandUser,
  deleteCommandJob,
  type CommandJobSource,
} from '../actions/command-jobs.ts';
import type { PrismModel } from '../model/prism-model.ts';
import { withActionMapSource } from './translatable-action-map.ts';
import { freeForm, object, string, stringList } from '../../../../aggregated-api/resource/json-schema.ts';
import { queryValue, type Query } from '../../../../aggregated-api/request/list-options.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type { ReadableResource } from '../../../../aggregated-api/resource/served-resource.ts';
import { badRequest, notFound } from '../../../../server/api-error.ts';
import type { RevisionClock } from '../../../../aggregated-api/store/revision-clock.ts';
import { VersionedStore } from '../../../../aggregated-api/store/versioned-store.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import { derivedUid } from './projection.ts';

export type CommandPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface Command extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    action: string;
    actionText?: string;
    user?: string;
    application: { namespace: string; name: string };
    component?: { kind: string; subkind?: string; namespace: string; name: string };
    job: { namespace: string; name: string; uid?: string };
    image?: string;
    command?: string[];
  };
  status: { phase: CommandPhase; startTime?: string; completionTime?: string; actionMap: ActionMap };
}

const NAME_SCHEMA = (what: string) =>
  object(`The ${what}.`, {
    namespace: string(`Namespace of the ${what}.`),
    name: string(`Name of the ${what}.`),
  });

export const COMMANDS: ResourceDefinition<Command> = {
  resource: 'commands',
  singularName: 'command',
  kind: 'Command',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['get', 'list', 'watch', 'delete'],
  description:
    'Command is a kAppNav command action that ran as a Job in the kappnav namespace: what ran, for which application or component, for whom, and how it went, with the action map of its Job. Deleting it deletes the Job and its pods.',
  properties: {
    spec: object('What ran.', {
      action: string('Name of the cmd-action.'),
      actionText: string('The text of the action.'),
      user: string('The authenticated user who ran it.'),
      application: NAME_SCHEMA('application'),
      component: object('The component it ran for; absent for an application command.', {
        kind: string('Kind of the component.'),
        subkind: string('The kappnav.subkind of the component, lower-cased.'),
        namespace: string('Namespace of the component.'),
        name: string('Name of the component.'),
      }),
      job: object('The Job.', {
        namespace: string('Namespace of the Job.'),
        name: string('Name of the Job.'),
        uid: string('UID of the Job.'),
      }),
      image: string('The image the command ran in.'),
      command: stringList('The command, one argument per entry.'),
    }),
    status: object('How it went.', {
      phase: {
        type: 'string',
        enum: ['Pending', 'Running', 'Succeeded', 'Failed'],
        description: 'Pending, Running, Succeeded or Failed, from the Job.',
      },
      startTime: { type: 'string', format: 'date-time', description: 'When the Job started.' },
      completionTime: {
        type: 'string',
        format: 'date-time',
        description: 'When the Job completed successfully.',
      },
      actionMap: freeForm('The action map of the Job (View Detail, View Job Logs, …).'),
    }),
  },
  columns: [
    nameColumn(),
    {
      name: 'Action',
      type: 'string',
      format: '',
      description: 'The cmd-action.',
      priority: 0,
      cell: (c) => c.spec.action,
    },
    {
      name: 'Application',
      type: 'string',
      format: '',
      description: 'Namespace and name of the application.',
      priority: 0,
      cell: (c) => `${c.spec.application.namespace}/${c.spec.application.name}`,
    },
    {
      name: 'Component',
      type: 'string',
      format: '',
      description: 'Kind, namespace and name of the component; empty for an application command.',
      priority: 0,
      cell: (c) =>
        c.spec.component
          ? `${c.spec.component.kind}/${c.spec.component.namespace}/${c.spec.component.name}`
          : '',
    },
    {
      name: 'User',
      type: 'string',
      format: '',
      description: 'Who ran it.',
      priority: 0,
      cell: (c) => c.spec.user ?? '',
    },
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The phase of the Job.',
      priority: 0,
      cell: (c) => c.status.phase,
    },
    ageColumn(),
    {
      name: 'Completed',
      type: 'string',
      format: '',
      description: 'When the Job completed.',
      priority: 1,
      cell: (c) => c.status.completionTime ?? '',
    },
    {
      name: 'Image',
      type: 'string',
      format: '',
      description: 'The image.',
      priority: 1,
      cell: (c) => c.spec.image ?? '',
    },
  ],
  selectableFields: {
    'spec.user': (c) => c.spec.user ?? '',
    'spec.action': (c) => c.spec.action,
    'spec.application.name': (c) => c.spec.application.name,
    'spec.application.namespace': (c) => c.spec.application.namespace,
    'status.phase': (c) => c.status.phase,
  },
};

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  conditions?: { type?: string; status?: string }[];
}

function phaseOf(status: JobStatus): CommandPhase {
  const holds = (type: string) => status.conditions?.some((c) => c.type === type && c.status === 'True');
  if (holds('Complete')) return 'Succeeded';
  if (holds('Failed')) return 'Failed';
  return status.startTime || (status.active ?? 0) > 0 ? 'Running' : 'Pending';
}

function commandOf(job: KubeObject, actionMap: ActionMap): Command {
  const {
    name = '',
    namespace = '',
    uid,
    creationTimestamp,
    labels = {},
    annotations = {},
  } = job.metadata ?? {};
  const status = (job['status'] ?? {}) as JobStatus;
  const container = (
    job['spec'] as
      { template?: { spec?: { containers?: { image?: string; command?: string[] }[] } } } | undefined
  )?.template?.spec?.containers?.[0];
  const user = commandUser(job);
  const actionText = annotations[JOB_ANNOTATIONS.actionText];
  const kappnavLabels = Object.fromEntries(
    Object.entries(labels).filter(([key]) => key.startsWith('kappnav-job-')),
  );
  const componentKind = labels[JOB_LABELS.componentKind];
  const subkind = labels[JOB_LABELS.componentSubKind];
  return {
    apiVersion: PRISM_GROUP_VERSION,
    kind: COMMANDS.kind,
    metadata: {
      name,
      uid: derivedUid('command', uid ?? name),
      ...(creationTimestamp ? { creationTimestamp } : {}),
      labels: kappnavLabels,
    },
    spec: {
      action: labels[JOB_LABELS.actionName] ?? '',
      ...(actionText ? { actionText } : {}),
      ...(user ? { user } : {}),
      application: {
        namespace: labels[JOB_LABELS.applicationNamespace] ?? '',
        name: labels[JOB_LABELS.applicationName] ?? '',
      },
      ...(componentKind
        ? {
            component: {
              kind: componentKind,
              ...(subkind ? { subkind } : {}),
              namespace: labels[JOB_LABELS.componentNamespace] ?? '',
              name: labels[JOB_LABELS.componentName] ?? '',
            },
          }
        : {}),
      job: { namespace, name, ...(uid ? { uid } : {}) },
      ...(container?.image ? { image: container.image } : {}),
      ...(container?.command ? { command: container.command } : {}),
    },
    status: {
      phase: phaseOf(status),
      ...(status.startTime ? { startTime: status.startTime } : {}),
      ...(status.completionTime ? { completionTime: status.completionTime } : {}),
      actionMap,
    },
  };
}

/** `?completedAfter=<time>`: the seed's `time` filter, with its format; a malformed time is 400. */
function completedAfterFilter(query: Query): ((command: Command) => boolean) | undefined {
  const time = queryValue(query, 'completedAfter');
  if (!time) return undefined;
  let after: number;
  try {
    after = parseCommandTime(time);
  } catch (error) {
    throw error instanceof CommandError ? badRequest(`completedAfter: ${error.message}`) : error;
  }
  return (command) => completedAfter(command.status.completionTime, after);
}

export interface CommandsDependencies {
  jobs: CommandJobSource;
  model: Pick<PrismModel, 'mapsOf' | 'onUpdate'>;
  actions: Pick<ActionDependencies, 'client' | 'reviewer' | 'cluster'>;
  clock: RevisionClock;
  staleness: () => string[];
}

/** The readable `commands` resource, its store following the command Jobs and the maps. */
export function commandsResource(deps: CommandsDependencies): ReadableResource<Command> {
  const store = new VersionedStore<Command>(deps.clock);
  const kappnavNamespace = deps.actions.cluster.kappnavNamespace;
  const project = () =>
    store.replaceAll(
      deps.jobs.jobs().map((job) => {
        const source = () => deps.model.mapsOf(job).actions;
        return withActionMapSource(commandOf(job, source().map), source);
      }),
    );
  deps.jobs.onChange(project);
  // A change of the maps re-merges every action map; the model announces it after recomputing.
  deps.model.onUpdate(project);
  project();
  return {
    definition: COMMANDS,
    store,
    readRequirements: (command, user) => commandReadRequirements(command.spec.user, user, kappnavNamespace),
    staleness: deps.staleness,
    queryFilter: (query) => completedAfterFilter(query as Query),
    async delete({ object, user, dryRun }): Promise<KubeStatus> {
      const name = object.metadata.name ?? '';
      const job = deps.jobs.jobs().find((j) => j.metadata?.name === name);
      // The store follows the Job cache; a Job deleted a moment ago is simply gone.
      if (!job) throw notFound({ group: PRISM_GROUP, resource: COMMANDS.resource }, name);
      const status = await deleteCommandJob(deps.actions, user, job, dryRun);
      return { ...status, details: { name, group: PRISM_GROUP, kind: COMMANDS.resource } };
    },
  };
}
