/**
 * What goes wrong when a request resolves a pattern or runs a command, and how each front end answers it:
 * the native resources as a metav1.Status (kubectl prints `Error from server (<reason>): <message>`), the
 * seed's REST shapes as `{"message": "<category>: …"}` with 422 for the user's input and 207 for
 * everything else (kappnav-prism.md §1.2). 401 and 403 stay metav1.Status on both, as for every other path.
 */
import { KubeApiError } from '../../../../pkg/kube/kube-client.ts';
import { PatternError } from '../../actions/pattern/language/pattern-error.ts';
import { CommandError } from '../../commands/command-error.ts';
import {
  ApiError,
  badRequest,
  internalError,
  invalid,
  type StatusReason,
} from '../../../../server/api-error.ts';

/** The resource or application a request names is unknown, or not what the request needs. */
export class TargetError extends Error {
  override readonly name = 'TargetError';

  constructor(
    readonly reason: 'not-found' | 'invalid',
    /** The request field at fault, e.g. `spec.resource.kind`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A pattern error's message, naming the token that failed. */
export function patternMessage(error: PatternError): string {
  return error.token && !error.message.includes(error.token)
    ? `${error.message} (in ${error.token})`
    : error.message;
}

const KNOWN_REASONS = new Set<StatusReason>(['BadRequest', 'Forbidden', 'NotFound', 'Invalid', 'Timeout']);

/** A failure of a call prismgate made to kube-apiserver on the user's behalf (creating a Job, say). */
function fromKubeApiError(error: KubeApiError): ApiError {
  const reason = error.reason as StatusReason | undefined;
  if (error.code >= 400 && error.code < 500 && reason && KNOWN_REASONS.has(reason))
    return new ApiError(error.code, reason, error.message);
  return internalError(error.message);
}

/** Whether the user's input is at fault (rather than the action's definition). */
function inputFault(error: CommandError): boolean {
  return error.reason === 'input-invalid' || error.reason === 'input-syntax';
}

export interface NativeContext {
  /** Kind and name of the request object, for 422 answers (`CommandExecution "x" is invalid: …`). */
  kind: string;
  name: string;
  /** The field a pattern error is reported on: `spec.pattern`, or the command's `spec.action`. */
  patternField: string;
}

/** The metav1.Status-bearing error for a failure of the native resources; other errors are returned as they are. */
export function nativeError(error: unknown, context: NativeContext): unknown {
  const { kind, name } = context;
  if (error instanceof TargetError)
    return error.reason === 'not-found'
      ? new ApiError(404, 'NotFound', error.message)
      : invalid(kind, name, [{ field: error.field, message: error.message }]);
  if (error instanceof PatternError)
    return invalid(kind, name, [{ field: context.patternField, message: patternMessage(error) }]);
  if (error instanceof CommandError) {
    switch (error.errorClass) {
      case 'not-found':
        return new ApiError(404, 'NotFound', error.message);
      case 'invalid':
        return invalid(kind, name, [
          {
            field: inputFault(error)
              ? `spec.input${error.field === undefined ? '' : `.${error.field}`}`
              : context.patternField,
            message: error.message,
          },
        ]);
      case 'malformed':
        return badRequest(error.message);
      case 'internal':
        return internalError(error.message);
    }
  }
  if (error instanceof KubeApiError) return fromKubeApiError(error);
  return error;
}

export interface SeedAnswer {
  status: number;
  body: { message: string };
}

/** The seed's answer for a failure; undefined for failures that stay metav1.Status (401, 403, server faults). */
export function seedAnswer(error: unknown): SeedAnswer | undefined {
  const answer = (status: number, message: string): SeedAnswer => ({ status, body: { message } });
  if (error instanceof ApiError)
    return error.code === 401 || error.code === 403 ? undefined : answer(207, error.message);
  if (error instanceof TargetError) return answer(207, `input-error: ${error.message}`);
  if (error instanceof PatternError) return answer(207, `pattern-error: ${patternMessage(error)}`);
  if (error instanceof CommandError) {
    const field = error.field === undefined ? '' : ` on field name: ${error.field}`;
    return answer(error.seedStatus, `${error.legacyPrefix}: ${error.message}${field}`);
  }
  if (error instanceof KubeApiError) return answer(207, error.message);
  return undefined;
}
