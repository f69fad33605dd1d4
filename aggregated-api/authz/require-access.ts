/**
 * One authorization check inside a handler, beyond the request's own (which the pipeline made): the user
 * must be allowed `attributes`, else 403 in kube-apiserver's words, about `subject` when given (the
 * request's resource) and otherwise about the attributes themselves.
 */
import type { User } from '../../server/delegated-auth/user.ts';
import type { ResourceAttributes, Reviewer } from '../../server/delegated-auth/access-review.ts';
import { forbidden } from '../../server/delegated-auth/access-review.ts';

export async function requireAccess(
  reviewer: Reviewer,
  user: User,
  attributes: ResourceAttributes,
  subject?: ResourceAttributes,
): Promise<void> {
  const decision = await reviewer.review(user, { resource: attributes });
  if (!decision.allowed) throw forbidden(user.name, { resource: attributes }, decision.reason, subject);
}
