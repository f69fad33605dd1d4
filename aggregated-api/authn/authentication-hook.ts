/**
 * The authenticate step: sets the request's user, as k8s.io/apiserver's delegating authentication with
 * anonymous requests enabled (its default): a request without credentials is `system:anonymous` (group
 * `system:unauthenticated`), which authorization then judges (403 where it may not, the health endpoints
 * allowed); credentials that are presented but not accepted, or a TokenReview that cannot be made, are a
 * 401; a client past the rate of TokenReviews for unknown tokens gets 429.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { ApiError, unauthorized } from '../../server/api-error.ts';
import { presentsCredentials, type Authenticator, type Credentials } from './request-authenticator.ts';
import { ANONYMOUS } from '../../server/delegated-auth/user.ts';

export function authenticationHook(
  authenticator: Authenticator,
  log: FastifyBaseLogger,
): onRequestAsyncHookHandler {
  return async (request) => {
    const context = request.apiContext;
    const credentials: Credentials = {
      socket: request.raw.socket as TLSSocket,
      rawHeaders: request.raw.rawHeaders,
      authorization: request.headers.authorization,
    };
    let authenticated;
    try {
      authenticated = await authenticator.authenticate(credentials);
    } catch (error) {
      // Too many unknown tokens from this client: its 429, no review made.
      if (error instanceof ApiError) throw error;
      // A TokenReview that cannot be made authenticates nobody (kube-apiserver answers 401 too).
      log.warn({ err: error }, 'token review failed');
    }
    if (authenticated) context.user = authenticated.user;
    else if (presentsCredentials(credentials)) throw unauthorized();
    else context.user = ANONYMOUS;
  };
}
