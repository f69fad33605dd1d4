/**
 * Listing command Jobs (kappnav-prism.md §5.3, `getCommands`) and the check before deleting one. The
 * caller lists Jobs in the kappnav namespace with `kappnav-job-type=command`; this filters them.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { CommandError } from './command-error.ts';
import { COMMAND_JOB_TYPE, JOB_ANNOTATIONS, JOB_LABELS } from './command-job.ts';
import { parseCommandTime, utcSeconds } from './command-time.ts';

export const COMMAND_JOB_SELECTOR = `${JOB_LABELS.type}=${COMMAND_JOB_TYPE}`;

export interface CommandFilter {
  /** The authenticated user; when non-empty only that user's Jobs are kept. */
  user?: string;
  /** When non-empty, only Jobs completed strictly after this time; running Jobs are left out. */
  time?: string;
}

export interface CommandSelection {
  /** The Jobs to return, each with `kind: Job`. */
  commands: KubeObject[];
  /**
   * The Job whose action map (kind Job) goes with the answer: the first Job of the unfiltered list, and
   * only when at least one Job is returned.
   */
  actionMapJob: KubeObject | undefined;
}

function userOf(job: KubeObject): string | undefined {
  return (
    job.metadata?.annotations?.[JOB_ANNOTATIONS.userId] ?? job.metadata?.labels?.[JOB_ANNOTATIONS.userId]
  );
}

/** Whether a Job's `status.completionTime` is strictly after `after` (epoch seconds); a running Job is not. */
export function completedAfter(completionTime: unknown, after: number): boolean {
  const seconds = typeof completionTime === 'string' ? utcSeconds(completionTime) : undefined;
  return seconds !== undefined && seconds > after;
}

function jobCompletedAfter(job: KubeObject, after: number): boolean {
  return completedAfter((job['status'] as { completionTime?: unknown } | undefined)?.completionTime, after);
}

/** List items may come without `kind`; the answer and the action-map lookup need it. */
function withJobKind(job: KubeObject): KubeObject {
  return job.kind ? job : { ...job, kind: 'Job' };
}

export function selectCommands(jobs: readonly KubeObject[], filter: CommandFilter): CommandSelection {
  const after = filter.time ? parseCommandTime(filter.time) : undefined;
  const commands = jobs
    .filter((job) => !filter.user || userOf(job) === filter.user)
    .filter((job) => after === undefined || jobCompletedAfter(job, after))
    .map(withJobKind);
  const first = jobs[0];
  return { commands, actionMapJob: commands.length > 0 && first ? withJobKind(first) : undefined };
}

export function isCommandJob(job: KubeObject): boolean {
  return job.metadata?.labels?.[JOB_LABELS.type] === COMMAND_JOB_TYPE;
}

/** Before deleting `name`: it must be a command Job, or the request is refused as not found. */
export function assertCommandJob(job: KubeObject, name: string): void {
  if (!isCommandJob(job))
    throw new CommandError('job-not-command', `Job ${name} is not found in command action.`);
}
