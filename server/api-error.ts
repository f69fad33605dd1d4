/**
 * Failures as both listeners answer them: a `metav1.Status` with the HTTP code, the machine-readable
 * `reason` kubectl, the aggregator and kube-apiserver's webhook client act on, and a message a person
 * understands (kubectl prints it verbatim as `Error from server (<reason>): <message>`). The reasons and
 * words are k8s.io/apimachinery's (pkg/api/errors).
 */
import type { KubeStatus } from '../pkg/kube/types.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'Invalid'
  | 'Expired'
  | 'Timeout'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `resource.group`, as Kubernetes names a resource in messages. */
export interface ResourceName {
  group: string;
  resource: string;
}

function qualified({ group, resource }: ResourceName): string {
  return group ? `${resource}.${group}` : resource;
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const unauthorized = (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message);

export const notFound = (what: ResourceName, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(what)} "${name}" not found`, {
    name,
    group: what.group,
    kind: what.resource,
  });

/** A path that names nothing this server serves (the words kube-apiserver uses). */
export const pathNotFound = () =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource');

export const methodNotAllowed = (verb: string, what: ResourceName) =>
  new ApiError(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${qualified(what)}"`,
    {
      group: what.group,
      kind: what.resource,
    },
  );

export const notAcceptable = (accept: string, supported: readonly string[]) =>
  new ApiError(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${supported.join(', ')} (asked for ${accept})`,
  );

export const unsupportedMediaType = (contentType: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format: ${contentType}`,
  );

export const requestEntityTooLarge = (message = 'the request body is too large') =>
  new ApiError(413, 'RequestEntityTooLarge', message);

export const invalid = (kind: string, name: string, causes: { field: string; message: string }[]) =>
  new ApiError(
    422,
    'Invalid',
    `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    { name, kind, causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })) },
  );

/** A resourceVersion or continue token older than what is kept (client-go re-lists on it). */
export const expired = (message: string) => new ApiError(410, 'Expired', message);

/** A resourceVersion newer than this server has reached (after waiting briefly for it). */
export const resourceVersionTooLarge = (requested: string) =>
  new ApiError(504, 'Timeout', `Too large resource version: ${requested}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: `Too large resource version` }],
    retryAfterSeconds: 1,
  });

export const internalError = (message: string) =>
  new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);

export const serviceUnavailable = (message: string, retryAfterSeconds = 1) =>
  new ApiError(503, 'ServiceUnavailable', message, { retryAfterSeconds });
