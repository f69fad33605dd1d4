/**
 * The authorize step: the request's own attributes (what kube-apiserver checked before proxying) are
 * checked again for the user, by SubjectAccessReview, as k8s.io/apiserver does, so a caller that reaches
 * the server directly gets the same answer. The health endpoints themselves are always allowed (not their
 * checks: `/readyz/<check>` is authorized like any path), as k8s.io/apiserver's AlwaysAllowPaths.
 */
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { internalError } from '../../server/api-error.ts';
import { forbidden, type AccessDecision, type Reviewer } from '../../server/delegated-auth/access-review.ts';
import { requestAttributes } from './request-attributes.ts';

/** k8s.io/apiserver's default AlwaysAllowPaths of delegated authorization: exactly these paths. */
const ALWAYS_ALLOWED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/livez']);

export function authorizationHook(reviewer: Reviewer, log: FastifyBaseLogger): onRequestAsyncHookHandler {
  return async (request) => {
    const { info, user } = request.apiContext;
    if (ALWAYS_ALLOWED_PATHS.has(info.path)) return;
    const attributes = requestAttributes(info);
    let decision: AccessDecision;
    try {
      decision = await reviewer.review(user, attributes);
    } catch (error) {
      log.warn({ err: error, user: user.name }, 'subject access review failed');
      throw internalError('the authorization check could not be made; try again');
    }
    if (!decision.allowed) throw forbidden(user.name, attributes, decision.reason);
  };
}
