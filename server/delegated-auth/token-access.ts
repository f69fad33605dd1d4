/**
 * A path of a listener that only authorized users may read, as Kubernetes components guard their /metrics
 * (k8s.io/apiserver's delegating authentication and authorization): the caller presents a bearer token,
 * kube-apiserver's TokenReview says whose it is, and a SubjectAccessReview whether that user may `verb` the
 * path (a nonResourceURL, as RBAC's `nonResourceURLs: ["/metrics"]`, verb `get`). No token is 401, a token
 * kube-apiserver rejects 401, a user it does not allow 403; too many unknown tokens 429.
 */
import type { TLSSocket } from 'node:tls';
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { ApiError, internalError, unauthorized } from '../api-error.ts';
import { forbidden, type Reviewer } from './access-review.ts';
import { bearerToken, type TokenAuthenticator } from './token-authenticator.ts';

export interface TokenAccess {
  tokens: Pick<TokenAuthenticator, 'authenticate'>;
  reviewer: Reviewer;
}

/** An onRequest hook for the route of `path`: `verb` on it, for a bearer token's user. */
export function tokenAccessHook(
  access: TokenAccess,
  nonResource: { verb: string; path: string },
  log: FastifyBaseLogger,
): onRequestAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized();
    const source = (request.raw.socket as TLSSocket).remoteAddress ?? '';
    const outcome = await access.tokens.authenticate(token, source).catch((error: unknown) => {
      if (error instanceof ApiError) throw error;
      log.warn({ err: error }, 'token review failed');
      return { ok: false as const, reason: 'the token review failed' };
    });
    if (!outcome.ok) throw unauthorized();
    const attributes = { nonResource };
    const decision = await access.reviewer.review(outcome.user, attributes).catch((error: unknown) => {
      log.warn({ err: error, user: outcome.user.name }, 'subject access review failed');
      throw internalError('the authorization check could not be made; try again');
    });
    if (!decision.allowed) throw forbidden(outcome.user.name, attributes, decision.reason);
  };
}
