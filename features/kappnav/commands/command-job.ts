/**
 * The Job a command action runs as (kappnav-prism.md §5.1 step 8): labelled with its context so that it
 * can be listed and filtered, annotated with the action text and the submitting user, run as non-root.
 * Where it runs and under which account is its placement (command-trust.ts): a trusted author's command
 * in the kappnav namespace under the kappnav service account, as the reference ran every command; any
 * other in the namespace of the map that defined it, under that namespace's default account.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { subkindOf } from '../kam/mapping-subject.ts';
import { CommandError } from './command-error.ts';

export const JOB_LABELS = {
  type: 'kappnav-job-type',
  actionName: 'kappnav-job-action-name',
  applicationName: 'kappnav-job-application-name',
  applicationNamespace: 'kappnav-job-application-namespace',
  applicationScope: 'kappnav-job-application-scope',
  componentKind: 'kappnav-job-component-kind',
  componentSubKind: 'kappnav-job-component-sub-kind',
  componentName: 'kappnav-job-component-name',
  componentNamespace: 'kappnav-job-component-namespace',
} as const;

export const JOB_ANNOTATIONS = {
  actionText: 'kappnav-job-action-text',
  /** The user id is an annotation; a label of this name is only read, for Jobs of older releases. */
  userId: 'kappnav-job-user-id',
} as const;

export const COMMAND_JOB_TYPE = 'command';

/** The marker token after which a cmd-pattern lists pods, one Job each (§5.1 step 7). */
export const POD_FAN_OUT_TOKEN = 'path:podName:string';

/**
 * Jobs one request may create. The reference created one per name listed, so one request made 25 Jobs
 * (and 25 Pods to schedule) as easily as one (issue 15, finding 2). A fan-out is for a diagnostic on the
 * pods a user picked from a workload's pod list; ten covers such a pick, keeps one request's work to ten
 * Job creations (sequential, well under a second on the test control plane) and what it adds to the
 * scheduler small. More is refused whole, never cut short.
 */
export const MAX_COMMAND_JOBS = 10;

/** Where a command's Job is created, and under which service account (none: the namespace's default). */
export interface JobPlacement {
  namespace: string;
  serviceAccountName?: string;
}

/** What the command runs against: an Application itself, or a component in an application's context. */
export type CommandTarget =
  | { scope: 'application'; application: KubeObject }
  | { scope: 'component'; application: { name: string; namespace: string }; component: KubeObject };

export interface CommandJobRequest {
  target: CommandTarget;
  actionName: string;
  /** The action's `text`; annotated when non-empty. */
  actionText: string | undefined;
  image: string;
  /** The container command: the tokenized, resolved cmd-pattern. */
  command: string[];
  /** The authenticated user who asked; annotated when non-empty. */
  user: string | undefined;
  placement: JobPlacement;
  /** Source of the random parts of Job and container names. */
  newUuid?: () => string;
}

export function commandJobLabels(target: CommandTarget, actionName: string): Record<string, string> {
  const labels: Record<string, string> = {
    [JOB_LABELS.type]: COMMAND_JOB_TYPE,
    [JOB_LABELS.actionName]: actionName,
  };
  if (target.scope === 'application') {
    labels[JOB_LABELS.applicationName] = target.application.metadata?.name ?? '';
    labels[JOB_LABELS.applicationNamespace] = target.application.metadata?.namespace ?? '';
    labels[JOB_LABELS.applicationScope] = 'true';
    return labels;
  }
  const { application, component } = target;
  labels[JOB_LABELS.applicationName] = application.name;
  labels[JOB_LABELS.applicationNamespace] = application.namespace;
  labels[JOB_LABELS.componentKind] = component.kind ?? '';
  const subkind = subkindOf(component);
  if (subkind) labels[JOB_LABELS.componentSubKind] = subkind;
  labels[JOB_LABELS.componentName] = component.metadata?.name ?? '';
  labels[JOB_LABELS.componentNamespace] = component.metadata?.namespace ?? '';
  return labels;
}

export function buildCommandJob(request: CommandJobRequest): KubeObject {
  const uuid = request.newUuid ?? randomUUID;
  const annotations: Record<string, string> = {};
  if (request.actionText) annotations[JOB_ANNOTATIONS.actionText] = request.actionText;
  if (request.user) annotations[JOB_ANNOTATIONS.userId] = request.user;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `kappnav-${uuid()}`,
      namespace: request.placement.namespace,
      labels: commandJobLabels(request.target, request.actionName),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      backoffLimit: 4,
      template: {
        spec: {
          restartPolicy: 'Never',
          ...(request.placement.serviceAccountName
            ? { serviceAccountName: request.placement.serviceAccountName }
            : {}),
          securityContext: { runAsNonRoot: true, runAsUser: 1001 },
          containers: [{ name: `kappnav-${uuid()}`, image: request.image, command: request.command }],
        },
      },
    },
  };
}

const POD_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_POD_NAME = 253;

/**
 * One command per Job: when an argument of the cmd-pattern is literally `path:podName:string`, the next
 * argument is a comma-separated pod list and each pod gets its own Job, with the list replaced by the one
 * pod name. `patterns` are the arguments as the cmd-pattern wrote them, `args` as they resolved: only the
 * pattern's own text is a marker (a substituted value never is), each name must be a pod name (a DNS-1123
 * subdomain: no option, no space), names listed twice run once, and more than MAX_COMMAND_JOBS are refused.
 */
export function fanOutCommands(patterns: readonly string[], args: readonly string[]): string[][] {
  const marker = patterns.indexOf(POD_FAN_OUT_TOKEN);
  const list = marker < 0 ? undefined : args[marker + 1];
  if (list === undefined) return [[...args]];
  const pods = [...new Set(list.split(',').filter((pod) => pod !== ''))];
  if (pods.length === 0) return [[...args]];
  for (const pod of pods)
    if (pod.length > MAX_POD_NAME || !POD_NAME.test(pod))
      throw new CommandError(
        'pod-name-invalid',
        `${JSON.stringify(pod)} in the pod list after ${POD_FAN_OUT_TOKEN} is not a pod name (a DNS-1123 subdomain)`,
      );
  if (pods.length > MAX_COMMAND_JOBS)
    throw new CommandError(
      'fan-out-limit',
      `the command would run as ${pods.length} Jobs, one per pod listed after ${POD_FAN_OUT_TOKEN}; at most ${MAX_COMMAND_JOBS} are created for one request`,
    );
  return pods.map((pod) => args.map((arg, i) => (i === marker + 1 ? pod : arg)));
}
