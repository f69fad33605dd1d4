/**
 * Authorization delegated to kube-apiserver: a SubjectAccessReview for the original user (name, groups,
 * extra, uid), as k8s.io/apiserver's delegating authorizer sends it, with allow and deny answers cached
 * for 10 seconds. Members of system:masters are allowed without asking, as kube-apiserver's own
 * privileged-group authorizer does; that also keeps the aggregator's availability probe and discovery
 * free of any API call. `forbidden` is the 403 kube-apiserver writes for a denial, so one from prismgate reads
 * the same. Beside TokenReview in server/, for both listeners: the prism API's pipeline, and /metrics of the
 * webhook listener.
 */
import { ApiError } from '../api-error.ts';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { isPrivileged, type User } from './user.ts';
import { ExpiringCache } from '../../pkg/cache/expiring-cache.ts';

export interface ResourceAttributes {
  verb: string;
  group: string;
  version?: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type AccessAttributes = { resource: ResourceAttributes } | { nonResource: NonResourceAttributes };

export interface AccessDecision {
  allowed: boolean;
  /** Why, in the authorizer's words (RBAC's "RBAC: allowed by …" or nothing). */
  reason: string;
}

interface SubjectAccessReview {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

function withoutEmpty<T extends object>(attributes: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}

/** What asks for authorization decisions (the reviewer, or a fake in tests). */
export type Reviewer = Pick<AccessReviewer, 'review'>;

export class AccessReviewer {
  private readonly cache: ExpiringCache<AccessDecision>;
  /** SubjectAccessReviews actually sent (not answered from the cache); for tests and metrics. */
  reviewsSent = 0;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    ttlMs = 10_000,
    private readonly timeoutMs = 10_000,
  ) {
    this.cache = new ExpiringCache(ttlMs);
  }

  /** Rejects when kube-apiserver cannot be asked; callers decide what that means. */
  review(user: User, attributes: AccessAttributes): Promise<AccessDecision> {
    if (isPrivileged(user)) return Promise.resolve({ allowed: true, reason: 'system:masters' });
    const spec = {
      user: user.name,
      ...(user.uid ? { uid: user.uid } : {}),
      groups: user.groups,
      ...(Object.keys(user.extra).length > 0 ? { extra: user.extra } : {}),
      ...('resource' in attributes
        ? { resourceAttributes: withoutEmpty(attributes.resource) }
        : { nonResourceAttributes: attributes.nonResource }),
    };
    return this.cache.get(JSON.stringify(spec), () => this.send(spec));
  }

  private async send(spec: object): Promise<AccessDecision> {
    this.reviewsSent += 1;
    const review = await this.client.request<SubjectAccessReview>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
        timeoutMs: this.timeoutMs,
      },
    );
    const status = review.status ?? {};
    return {
      allowed: status.allowed === true && status.denied !== true,
      reason: status.reason || status.evaluationError || '',
    };
  }
}

function denialSentence(userName: string, attributes: AccessAttributes): string {
  if ('nonResource' in attributes)
    return `User ${JSON.stringify(userName)} cannot ${attributes.nonResource.verb} path ${JSON.stringify(attributes.nonResource.path)}`;
  const { verb, group, resource, subresource, namespace } = attributes.resource;
  const what = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace ${JSON.stringify(namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(userName)} cannot ${verb} resource ${JSON.stringify(what)} in API group ${JSON.stringify(group)} ${scope}`;
}

/** kube-apiserver escapes what could read as HTML in a denial's sentence. */
const sanitize = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 403 for `attributes`; `reason` is the authorizer's explanation, appended as kube-apiserver does. */
export function forbidden(
  userName: string,
  attributes: AccessAttributes,
  reason = '',
  subject?: ResourceAttributes,
): ApiError {
  const sentence = sanitize(denialSentence(userName, attributes)) + (reason ? `: ${reason}` : '');
  const target = subject ?? ('resource' in attributes ? attributes.resource : undefined);
  if (!target) return new ApiError(403, 'Forbidden', `forbidden: ${sentence}`, {});
  const qualified = target.group ? `${target.resource}.${target.group}` : target.resource;
  const name = target.name ? ` ${JSON.stringify(target.name)}` : '';
  return new ApiError(403, 'Forbidden', `${qualified}${name} is forbidden: ${sentence}`, {
    ...(target.name ? { name: target.name } : {}),
    group: target.group,
    kind: target.resource,
  });
}
