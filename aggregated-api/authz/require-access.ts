/**
 * One authorization check inside a handler, beyond the request's own (which the pipeline made): the user
 * must be allowed `attributes`, else 403 in kube-apiserver's words, about `subject` when given (the
 * request's resource) and otherwise about the attributes themselves.
 */
import type { User } from '../authn/user.ts';
import type { ResourceAttributes, Reviewer } from './access-review.ts';
import { forbidden } from './request-attributes.ts';

export async function requireAccess(
  reviewer: Reviewer,
  user: User,
  attributes: ResourceAttributes,
  subject?: ResourceAttributes,
): Promise<void> {
  const decision = await reviewer.review(user, { resource: attributes });
  if (!decision.allowed) throw forbidden(user.name, { resource: attributes }, decision.reason, subject);
}
