/**
 * Every failure leaves the server as a metav1.Status: API errors as they are, fastify's own (a body that
 * is not JSON, an unsupported Content-Type, a body too large) with the matching reason, anything else as
 * a 500 that is logged. Unknown paths are 404 in kube-apiserver's words.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ApiError,
  badRequest,
  internalError,
  pathNotFound,
  requestEntityTooLarge,
  unsupportedMediaType,
} from './api-error.ts';
import { sendJson } from './send-body.ts';

function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).statusCode;
  if (code === 415) return unsupportedMediaType((error as FastifyError).message);
  if (code === 413) return requestEntityTooLarge();
  if (code !== undefined && code >= 400 && code < 500) return badRequest(error.message);
  return internalError(error.message);
}

/**
 * The router's own refusals, before any hook runs (a URL that does not decode, a path segment beyond the
 * router's limit): fastify's option `frameworkErrors`, so that they too leave as a Status.
 */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  void sendJson(reply.code(apiError.code), apiError.toStatus());
}

export function installErrorResponses(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    const retryAfter = apiError.details?.retryAfterSeconds;
    // kube-apiserver repeats the retry hint as a header, which HTTP clients (and client-go) honour.
    if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    return sendJson(reply.code(apiError.code), apiError.toStatus());
  });
  app.setNotFoundHandler((_request, reply) => sendJson(reply.code(404), pathNotFound().toStatus()));
}
