/**
 * Every failure leaves a listener as k8s.io/apiserver sends it: a metav1.Status (API errors as they are,
 * fastify's own with the matching reason, anything else as a logged 500), with the retry hint of a Status
 * repeated as `Retry-After` and `X-Content-Type-Options: nosniff` on a 403. A listener may encode the
 * Status as its clients ask (the API negotiates YAML and pretty JSON, as ErrorNegotiated does) and say
 * which paths are its own: an unknown one of those is a 404 Status in kube-apiserver's words, any other
 * Go's plain `404 page not found`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KubeStatus } from '../pkg/kube/types.ts';
import {
  ApiError,
  badRequest,
  internalError,
  pathNotFound,
  requestEntityTooLarge,
  unsupportedMediaType,
} from './api-error.ts';
import { sendBody } from './send-body.ts';

export interface EncodedStatus {
  contentType: string;
  body: string;
}

export interface ErrorResponseOptions {
  /** The Status as the request asks for it; JSON by default. */
  encodeStatus?: (request: FastifyRequest, status: KubeStatus) => EncodedStatus;
  /** Whether an unknown path is answered as a Status; every path by default. */
  isApiPath?: (path: string) => boolean;
}

function toApiError(error: FastifyError | Error, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).statusCode;
  if (code === 415) return unsupportedMediaType((error as FastifyError).message);
  if (code === 413) return requestEntityTooLarge(request.routeOptions.bodyLimit);
  if (code !== undefined && code >= 400 && code < 500) return badRequest(error.message);
  return internalError(error.message);
}

const jsonStatus = (_request: FastifyRequest, status: KubeStatus): EncodedStatus => ({
  contentType: 'application/json',
  body: JSON.stringify(status),
});

function sendStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
  encodeStatus: NonNullable<ErrorResponseOptions['encodeStatus']>,
) {
  const retryAfter = error.details?.retryAfterSeconds;
  // kube-apiserver repeats the retry hint as a header, which HTTP clients (and client-go) honour.
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  if (error.code === 403) void reply.header('x-content-type-options', 'nosniff');
  const encoded = encodeStatus(request, error.toStatus());
  return sendBody(reply.code(error.code), encoded.contentType, encoded.body);
}

/**
 * The router's own refusals, before any hook runs (a URL that does not decode, a path segment beyond the
 * router's limit): fastify's option `frameworkErrors`, so that they too leave as a Status.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendStatus(request, reply, toApiError(error, request), jsonStatus);
}

export function installErrorResponses(app: FastifyInstance, options: ErrorResponseOptions = {}): void {
  const encodeStatus = options.encodeStatus ?? jsonStatus;
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const apiError = toApiError(error, request);
    // A 500 without a reason is storage's answer to a malformed resourceVersion: the client's, not logged.
    if (apiError.code >= 500 && apiError.reason !== undefined)
      request.log.error({ err: error, url: request.url }, 'request failed');
    return sendStatus(request, reply, apiError, encodeStatus);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (options.isApiPath?.(path) ?? true) return sendStatus(request, reply, pathNotFound(), encodeStatus);
    // Go's http.NotFound, which k8s.io/apiserver answers for paths outside its API groups.
    return reply
      .code(404)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send('404 page not found\n');
  });
}
