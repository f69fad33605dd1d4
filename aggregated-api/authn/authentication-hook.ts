/**
 * The authenticate step: sets the request's user, or answers 401. The health endpoints also accept
 * requests without credentials (as the anonymous user), and nothing else does.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { isHealthPath } from '../../server/health/health-routes.ts';
import { unauthorized } from '../../server/api-error.ts';
import type { Authenticator } from './request-authenticator.ts';

export function authenticationHook(
  authenticator: Authenticator,
  log: FastifyBaseLogger,
): onRequestAsyncHookHandler {
  return async (request) => {
    const context = request.prism;
    let authenticated;
    try {
      authenticated = await authenticator.authenticate({
        socket: request.raw.socket as TLSSocket,
        rawHeaders: request.raw.rawHeaders,
        authorization: request.headers.authorization,
      });
    } catch (error) {
      // A TokenReview that cannot be made authenticates nobody (kube-apiserver answers 401 too).
      log.warn({ err: error }, 'token review failed');
    }
    if (authenticated) context.user = authenticated.user;
    else if (!isHealthPath(context.info.path)) throw unauthorized();
  };
}
