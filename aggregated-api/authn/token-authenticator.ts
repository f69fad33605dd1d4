/**
 * Callers that reach the server directly (not through kube-apiserver) with a bearer token are
 * authenticated by kube-apiserver through a TokenReview (prismgate's ClusterRole `system:auth-delegator`
 * allows it), with answers cached for 10 seconds as k8s.io/apiserver caches them. Only a hash of the token
 * is kept.
 */
import { createHash } from 'node:crypto';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { ExpiringCache } from '../../pkg/cache/expiring-cache.ts';
import type { User } from './user.ts';

interface TokenReview {
  status?: {
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
    error?: string;
  };
}

export type TokenOutcome = { ok: true; user: User } | { ok: false; reason: string };

export class TokenAuthenticator {
  private readonly cache: ExpiringCache<TokenOutcome>;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    ttlMs = 10_000,
    private readonly timeoutMs = 10_000,
  ) {
    this.cache = new ExpiringCache(ttlMs);
  }

  authenticate(token: string): Promise<TokenOutcome> {
    const key = createHash('sha256').update(token).digest('hex');
    return this.cache.get(key, () => this.review(token));
  }

  private async review(token: string): Promise<TokenOutcome> {
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
