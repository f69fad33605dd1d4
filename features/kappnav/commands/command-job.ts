/**
 * The Job a command action runs as (kappnav-prism.md §5.1 step 8): labelled with its context so that it
 * can be listed and filtered, annotated with the action text and the submitting user, run under the
 * kappnav service account as non-root, in the kappnav namespace.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { subkindOf } from '../kam/mapping-subject.ts';

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
  /** `kappnav-sa-name` of kappnav-config (default `kappnav-sa`). */
  serviceAccountName: string;
  kappnavNamespace: string;
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
      namespace: request.kappnavNamespace,
      labels: commandJobLabels(request.target, request.actionName),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      backoffLimit: 4,
      template: {
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: request.serviceAccountName,
          securityContext: { runAsNonRoot: true, runAsUser: 1001 },
          containers: [{ name: `kappnav-${uuid()}`, image: request.image, command: request.command }],
        },
      },
    },
  };
}

/**
 * One command per Job: when a token is `path:podName:string`, the token after it is a comma-separated pod
 * list and each pod gets its own Job, with that list token replaced by the one pod name.
 */
export function fanOutCommands(command: string[]): string[][] {
  const marker = command.indexOf(POD_FAN_OUT_TOKEN);
  const list = marker < 0 ? undefined : command[marker + 1];
  if (list === undefined) return [command];
  const pods = list.split(',').filter((pod) => pod !== '');
  if (pods.length === 0) return [command];
  return pods.map((pod) => command.map((token, i) => (i === marker + 1 ? pod : token)));
}
