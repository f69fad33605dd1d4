/**
 * Failures as both listeners answer them: a `metav1.Status` with the HTTP code, the machine-readable
 * `reason` kubectl, the aggregator and kube-apiserver's webhook client act on, `details` and a message a
 * person understands (kubectl prints it verbatim as `Error from server (<reason>): <message>`). Each
 * constructor is one of apimachinery's (errors.NewNotFound, NewInvalid, …), with its words and its details,
 * so that the answers read and parse exactly like kube-apiserver's.
 */
import type { KubeStatus } from '../pkg/kube/types.ts';
import { aggregateErrors, errorBody, type FieldError } from '../pkg/validation/field-errors.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Invalid'
  | 'Expired'
  | 'Timeout'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'TooManyRequests';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The details with their keys in metav1's order and its empty fields left out, as Go serialises them. */
function serialisedDetails(details: StatusDetails): StatusDetails {
  const { name, group, kind, uid, causes, retryAfterSeconds } = details;
  return {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    ...(kind ? { kind } : {}),
    ...(uid ? { uid } : {}),
    ...(causes && causes.length > 0
      ? {
          causes: causes.map((cause) => ({
            ...(cause.reason ? { reason: cause.reason } : {}),
            ...(cause.message ? { message: cause.message } : {}),
            ...(cause.field ? { field: cause.field } : {}),
          })),
        }
      : {}),
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  };
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    /** Absent on the few answers kube-apiserver itself sends without one. */
    readonly reason: StatusReason | undefined,
    message: string,
    /** Serialised even when empty (`"details": {}`), as the router's 404 and 405 are. */
    readonly details?: StatusDetails,
    /** A continue token for the client (410 on an expired continue, to carry on inconsistently). */
    readonly continueToken?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.continueToken ? { continue: this.continueToken } : {},
      status: 'Failure',
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: serialisedDetails(this.details) } : {}),
      code: this.code,
    };
  }
}

/** `resource.group`, as Kubernetes names a resource in messages. */
export interface ResourceName {
  group: string;
  resource: string;
}

/** `Kind.group`, as Kubernetes names a kind in messages. */
export interface GroupKind {
  group: string;
  kind: string;
}

function qualified({ group, resource }: ResourceName): string {
  return group ? `${resource}.${group}` : resource;
}

function qualifiedKind({ group, kind }: GroupKind): string {
  return group ? `${kind}.${group}` : kind;
}

/** Go's `%q` of a name, as Kubernetes quotes names in its messages. */
const quoted = (name: string) => JSON.stringify(name);

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const unauthorized = (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message);

export const notFound = (what: ResourceName, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(what)} ${quoted(name)} not found`, {
    name,
    group: what.group,
    kind: what.resource,
  });

/** A path the router does not know (kube-apiserver's router says this, with empty details). */
export const pathNotFound = () =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/** A method the router does not serve on a path it knows (kube-apiserver's router, with empty details). */
export const routeMethodNotAllowed = () =>
  new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );

/** A verb the resource's handler does not support (errors.NewMethodNotSupported). */
export const methodNotSupported = (verb: string, what: ResourceName) =>
  new ApiError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind ${quoted(qualified(what))}`,
    {
      group: what.group,
      kind: what.resource,
    },
  );

/** Another client changed or replaced the object (a precondition did not hold). */
export const conflict = (what: ResourceName, name: string, reason: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(what)} ${quoted(name)}: ${reason}`,
    {
      name,
      group: what.group,
      kind: what.resource,
    },
  );

export const notAcceptable = (message: string) => new ApiError(406, 'NotAcceptable', message);

export const unsupportedMediaType = (message: string) => new ApiError(415, 'UnsupportedMediaType', message);

/** A body over the listener's limit (errors.NewRequestEntityTooLargeError). */
export const requestEntityTooLarge = (limitBytes: number) =>
  new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limitBytes}`);

/** An object that fails validation (errors.NewInvalid): one cause per field error. */
export function invalid(what: GroupKind, name: string, errors: readonly FieldError[]): ApiError {
  const message =
    errors.length === 0
      ? `${qualifiedKind(what)} ${quoted(name)} is invalid`
      : `${qualifiedKind(what)} ${quoted(name)} is invalid: ${aggregateErrors(errors)}`;
  return new ApiError(422, 'Invalid', message, {
    name,
    group: what.group,
    kind: what.kind,
    causes: errors.map((error) => ({ reason: error.type, message: errorBody(error), field: error.field })),
  });
}

/** Request options the API refuses (`ListOptions.meta.k8s.io "" is invalid: …`, DeleteOptions, CreateOptions). */
export const invalidOptions = (kind: string, errors: readonly FieldError[]) =>
  invalid({ group: 'meta.k8s.io', kind }, '', errors);

/** A resourceVersion or continue token older than what is kept (client-go re-lists on it). */
export const expired = (message: string, continueToken?: string) =>
  new ApiError(410, 'Expired', message, undefined, continueToken);

/** A resourceVersion this server has not reached, after waiting for it (storage's TooLargeResourceVersionError). */
export const resourceVersionTooLarge = (requested: bigint, current: number) =>
  new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

export const internalError = (message: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds });

export const serviceUnavailable = (message: string, retryAfterSeconds = 1) =>
  new ApiError(503, 'ServiceUnavailable', message, { retryAfterSeconds });
