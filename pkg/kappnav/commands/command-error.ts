/**
 * Why a command action cannot run or be listed (kappnav-prism.md §5, error convention §1.2), with the
 * reference's message and the status and category prefix its REST API answered, so that the prism API can
 * map each onto a metav1.Status and keep the compatible `{"message": "<prefix>: …"}` form.
 */

export type CommandErrorReason =
  | 'action-not-found'
  | 'image-missing'
  | 'cmd-pattern-missing'
  | 'input-definition'
  | 'input-syntax'
  | 'input-invalid'
  | 'pattern-unresolved'
  | 'job-not-command'
  | 'time-format';

/** What kind of failure it is: the aggregated API's status code follows from this. */
export type CommandErrorClass = 'not-found' | 'invalid' | 'malformed' | 'internal';

const CLASSES: Record<CommandErrorReason, { errorClass: CommandErrorClass; status: number; prefix: string }> =
  {
    'action-not-found': { errorClass: 'not-found', status: 207, prefix: 'input-error' },
    'image-missing': { errorClass: 'invalid', status: 207, prefix: 'input-error' },
    'cmd-pattern-missing': { errorClass: 'invalid', status: 207, prefix: 'input-error' },
    'input-definition': { errorClass: 'internal', status: 500, prefix: 'internal-error' },
    'input-syntax': { errorClass: 'malformed', status: 400, prefix: 'syntax-error' },
    'input-invalid': { errorClass: 'invalid', status: 422, prefix: 'validation-error' },
    'pattern-unresolved': { errorClass: 'internal', status: 500, prefix: 'internal-error' },
    'job-not-command': { errorClass: 'not-found', status: 207, prefix: 'input-error' },
    'time-format': { errorClass: 'malformed', status: 500, prefix: 'input-error' },
  };

export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly errorClass: CommandErrorClass;
  /** The HTTP status the reference REST API answered (207 for Kubernetes-ish errors, 422 for bad input). */
  readonly legacyStatus: number;
  /** The category the reference put before the message: `input-error`, `validation-error`, … */
  readonly legacyPrefix: string;

  constructor(
    readonly reason: CommandErrorReason,
    message: string,
    /** The input field at fault, for input validation errors. */
    readonly field?: string,
  ) {
    super(message);
    const { errorClass, status, prefix } = CLASSES[reason];
    this.errorClass = errorClass;
    this.legacyStatus = status;
    this.legacyPrefix = prefix;
  }
}
