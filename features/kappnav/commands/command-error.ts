/**
 * Why a command action cannot run or be listed (kappnav-prism.md §5, error convention §1.2), with the
 * reference's message and category prefix, so that the prism API can map each onto a metav1.Status and
 * keep the seed's `{"message": "<prefix>: …"}` form with the seed's status: 422 for user input errors,
 * 207 for all others (the reference's code also answered 400 and 500 in places; see QUIRKS.md).
 */

export type CommandErrorReason =
  | 'action-not-found'
  | 'image-missing'
  | 'cmd-pattern-missing'
  | 'input-definition'
  | 'input-syntax'
  | 'input-invalid'
  | 'pattern-unresolved'
  | 'pod-name-invalid'
  | 'fan-out-limit'
  | 'untrusted-elsewhere'
  | 'job-not-command'
  | 'time-format';

/** What kind of failure it is: the aggregated API's status code follows from this. */
export type CommandErrorClass = 'not-found' | 'invalid' | 'malformed' | 'internal';

interface ReasonClass {
  errorClass: CommandErrorClass;
  status: number;
  prefix: string;
  /** The user's input is at fault, not the action's definition (the API names `spec.input`). */
  input?: true;
}

const CLASSES: Record<CommandErrorReason, ReasonClass> = {
  'action-not-found': { errorClass: 'not-found', status: 207, prefix: 'input-error' },
  'image-missing': { errorClass: 'invalid', status: 207, prefix: 'input-error' },
  'cmd-pattern-missing': { errorClass: 'invalid', status: 207, prefix: 'input-error' },
  'input-definition': { errorClass: 'internal', status: 207, prefix: 'internal-error' },
  'input-syntax': { errorClass: 'malformed', status: 422, prefix: 'syntax-error', input: true },
  'input-invalid': { errorClass: 'invalid', status: 422, prefix: 'validation-error', input: true },
  // The action's own cmd-pattern is at fault (a token without a resolver): a 4xx naming the token.
  'pattern-unresolved': { errorClass: 'invalid', status: 207, prefix: 'internal-error' },
  // The pod list after path:podName:string comes from the user's pick (the input).
  'pod-name-invalid': { errorClass: 'invalid', status: 422, prefix: 'validation-error', input: true },
  'fan-out-limit': { errorClass: 'invalid', status: 422, prefix: 'validation-error', input: true },
  // A tenant's map defines the command, for a resource of another namespace (command-trust.ts).
  'untrusted-elsewhere': { errorClass: 'invalid', status: 207, prefix: 'input-error' },
  'job-not-command': { errorClass: 'not-found', status: 207, prefix: 'input-error' },
  'time-format': { errorClass: 'malformed', status: 207, prefix: 'input-error' },
};

export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly errorClass: CommandErrorClass;
  /** The HTTP status of the seed's convention: 422 for the user's input, 207 for everything else. */
  readonly seedStatus: number;
  /** The category the reference put before the message: `input-error`, `validation-error`, … */
  readonly legacyPrefix: string;
  /** Whether the user's input is at fault (rather than the action's definition). */
  readonly inputFault: boolean;

  constructor(
    readonly reason: CommandErrorReason,
    message: string,
    /** The input field at fault, for input validation errors. */
    readonly field?: string,
  ) {
    super(message);
    const { errorClass, status, prefix, input } = CLASSES[reason];
    this.errorClass = errorClass;
    this.seedStatus = status;
    this.legacyPrefix = prefix;
    this.inputFault = input === true;
  }
}

/** The cmd-action a request names is not in the action map (§5.1 step 2). */
export function actionNotFound(actionName: string): CommandError {
  return new CommandError('action-not-found', `Command action ${actionName} is not found in config map.`);
}
