/**
 * Callers that reach a listener directly (not through kube-apiserver) with a bearer token are
 * authenticated by kube-apiserver through a TokenReview (prismgate's ClusterRole `system:auth-delegator`
 * allows it). Answers are cached as k8s.io/apiserver's token cache keeps them: a user for 2 minutes, a
 * rejection for 10 seconds, under a hash of the token (the token itself is never kept), at most 10,000.
 *
 * A cache does nothing against many distinct bogus tokens, each a TokenReview (300 of them cost 300 reviews
 * in 4.7 s, issue 15 finding 10). So reviews of tokens the cache does not answer are rate limited per
 * client address: a burst of 20, then one a second; past that the request is answered 429 with
 * Retry-After, without a review. A client with a valid token asks once per 2 minutes.
 */
import { createHash } from 'node:crypto';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { ExpiringCache } from '../../pkg/cache/expiring-cache.ts';
import { KeyRateLimiter } from '../../pkg/rate-limit/key-rate-limiter.ts';
import { tooManyRequests } from '../api-error.ts';
import type { User } from './user.ts';

interface TokenReview {
  status?: {
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
    error?: string;
  };
}

export type TokenOutcome = { ok: true; user: User } | { ok: false; reason: string };

export interface TokenAuthenticatorOptions {
  /** How long an authenticated user is kept (k8s.io/apiserver: `--authentication-token-webhook-cache-ttl`, 2 min). */
  userTtlMs?: number;
  /** How long a rejected token is kept. */
  rejectionTtlMs?: number;
  /** Reviews of unknown tokens one client address may cause at once, then `reviewsPerMinute`. */
  reviewBurst?: number;
  reviewsPerMinute?: number;
  timeoutMs?: number;
  now?: () => number;
}

export class TokenAuthenticator {
  private readonly cache: ExpiringCache<TokenOutcome>;
  private readonly limiter: KeyRateLimiter;
  private readonly timeoutMs: number;
  /** TokenReviews actually sent (not answered from the cache); for tests. */
  reviewsSent = 0;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    options: TokenAuthenticatorOptions = {},
  ) {
    const { userTtlMs = 120_000, rejectionTtlMs = 10_000, now = Date.now } = options;
    this.cache = new ExpiringCache((outcome) => (outcome.ok ? userTtlMs : rejectionTtlMs), 10_000, now);
    this.limiter = new KeyRateLimiter({
      burst: options.reviewBurst ?? 20,
      perMinute: options.reviewsPerMinute ?? 60,
      now,
    });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * `source` is who asks (the client's address), whose reviews of unknown tokens are rate limited; rejects
   * with a 429 ApiError past the limit, and when the TokenReview cannot be made.
   */
  authenticate(token: string, source: string): Promise<TokenOutcome> {
    const key = createHash('sha256').update(token).digest('hex');
    if (!this.cache.has(key)) {
      const decision = this.limiter.take(source);
      if (!decision.allowed)
        return Promise.reject(
          tooManyRequests(
            'too many requests with unknown bearer tokens, please try again later',
            Math.ceil(decision.retryAfterMs / 1000),
          ),
        );
    }
    return this.cache.get(key, () => this.review(token));
  }

  private async review(token: string): Promise<TokenOutcome> {
    this.reviewsSent += 1;
    const review = await this.client.request<TokenReview>(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        timeoutMs: this.timeoutMs,
      },
    );
    const status = review.status;
    if (!status?.authenticated || !status.user?.username)
      return { ok: false, reason: status?.error || 'the token is not valid' };
    const { username, uid, groups = [], extra = {} } = status.user;
    return { ok: true, user: { name: username, ...(uid ? { uid } : {}), groups, extra } };
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
