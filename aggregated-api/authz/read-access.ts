/**
 * What a user may read of the resources behind served objects. A served object is visible only when the
 * user may read everything it shows, as its resource declares (`readRequirements`): a prism application,
 * for one, needs `list` on its Application's namespace, a prism component also `list` on the component's
 * resource in the component's namespace. The checks are
 * SubjectAccessReviews (cached 10 s), so a list of a thousand components in three namespaces costs a
 * handful of reviews, not a thousand. A review that cannot be made counts as a denial: when in doubt the
 * server shows less, never more.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { User } from '../../server/delegated-auth/user.ts';
import type { ResourceAttributes, Reviewer } from '../../server/delegated-auth/access-review.ts';

/** One permission a served object depends on: `list` in a namespace, or cluster-wide without one. */
export interface ReadRequirement {
  group: string;
  resource: string;
  namespace?: string;
  /** `get` of this one object instead of `list`. */
  name?: string;
}

/** The permission that was missing, and the authorizer's reason. */
export interface ReadDenial {
  attributes: ResourceAttributes;
  reason: string;
}

export class ReadAccess {
  constructor(
    private readonly reviewer: Reviewer,
    private readonly log: FastifyBaseLogger,
  ) {}

  private attributes(requirement: ReadRequirement): ResourceAttributes {
    return {
      verb: requirement.name ? 'get' : 'list',
      group: requirement.group,
      resource: requirement.resource,
      ...(requirement.namespace ? { namespace: requirement.namespace } : {}),
      ...(requirement.name ? { name: requirement.name } : {}),
    };
  }

  /** The first requirement `user` does not meet; undefined when all are met. */
  async denial(user: User, requirements: readonly ReadRequirement[]): Promise<ReadDenial | undefined> {
    for (const requirement of requirements) {
      const attributes = this.attributes(requirement);
      let allowed: boolean;
      let reason = '';
      try {
        ({ allowed, reason } = await this.reviewer.review(user, { resource: attributes }));
      } catch (error) {
        this.log.warn(
          { err: error, user: user.name, attributes },
          'access review failed; treating as denied',
        );
        allowed = false;
        reason = 'the access review could not be made';
      }
      if (!allowed) return { attributes, reason };
    }
    return undefined;
  }

  async allows(user: User, requirements: readonly ReadRequirement[]): Promise<boolean> {
    return (await this.denial(user, requirements)) === undefined;
  }
}
