/**
 * Every failure leaves the server as k8s.io/apiserver sends it: a metav1.Status (API errors as they are,
 * fastify's own with the matching reason, anything else as a logged 500), in the representation the
 * client accepts (YAML if asked, indented JSON for `?pretty`, curl and browsers, and indented JSON too
 * when nothing it accepts could carry a Status, as Go's WriteRawJSON does), with the retry hint of a
 * Status repeated as `Retry-After` and `X-Content-Type-Options: nosniff` on a 403. A path the server does
 * not know is the router's 404: a Status under the group version it serves, else Go's plain
 * `404 page not found`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PRISM_ROOT } from '../../features/kappnav/prism/api-group.ts';
import { goJsonText, isPrettyPrint, serialize } from '../encoding/response-encoder.ts';
import { sendBody } from '../encoding/send-body.ts';
import type { Query } from '../request/list-options.ts';
import { negotiate } from '../request/media-type.ts';
import { ApiError, badRequest, internalError, pathNotFound, unsupportedMediaType } from './api-error.ts';

function toApiError(error: FastifyError | Error, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as FastifyError).statusCode;
  if (code === 415) return unsupportedMediaType((error as FastifyError).message);
  if (code === 413)
    return new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: limit is ${request.routeOptions.bodyLimit}`,
    );
  if (code !== undefined && code >= 400 && code < 500) return badRequest(error.message);
  return internalError(error.message);
}

/** The Status of `error`, negotiated as kube-apiserver's ErrorNegotiated negotiates it (no conversions). */
function sendStatus(request: FastifyRequest, reply: FastifyReply, error: ApiError) {
  const retryAfter = error.details?.retryAfterSeconds;
  // kube-apiserver repeats the retry hint as a header, which HTTP clients (and client-go) honour.
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  if (error.code === 403) void reply.header('x-content-type-options', 'nosniff');
  const status = error.toStatus();
  const negotiated = negotiate(request.headers.accept, (_format, conversion) => conversion === undefined);
  const encoded = negotiated
    ? serialize(
        status,
        negotiated.format,
        negotiated.pretty || isPrettyPrint((request.query ?? {}) as Query, request.headers['user-agent']),
      )
    : { contentType: 'application/json', body: goJsonText(status, true) };
  return sendBody(reply.code(error.code), encoded.contentType, encoded.body);
}

/**
 * The router's own refusals, before any hook runs (a URL that does not decode, a path segment beyond the
 * router's limit): fastify's option `frameworkErrors`, so that they too leave as a Status.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendStatus(request, reply, toApiError(error, request));
}

export function installErrorResponses(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const apiError = toApiError(error, request);
    if (apiError.code >= 500 && apiError.reason !== undefined)
      request.log.error({ err: error, url: request.url }, 'request failed');
    return sendStatus(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith(`${PRISM_ROOT}/`)) return sendStatus(request, reply, pathNotFound());
    // Go's http.NotFound, which k8s.io/apiserver answers for paths outside its API groups.
    return reply
      .code(404)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .send('404 page not found\n');
  });
}
