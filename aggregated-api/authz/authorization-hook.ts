/**
 * The authorize step: the request's own attributes (what kube-apiserver checked before proxying) are
 * checked again for the user, by SubjectAccessReview, as k8s.io/apiserver does, so a caller that reaches
 * the server directly gets the same answer. Health endpoints are always allowed.
 */
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { isHealthPath } from '../../server/health/health-routes.ts';
import { internalError } from '../../server/api-error.ts';
import type { AccessDecision, Reviewer } from './access-review.ts';
import { forbidden, requestAttributes } from './request-attributes.ts';

export function authorizationHook(reviewer: Reviewer, log: FastifyBaseLogger): onRequestAsyncHookHandler {
  return async (request) => {
    const { info, user } = request.prism;
    if (isHealthPath(info.path)) return;
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
