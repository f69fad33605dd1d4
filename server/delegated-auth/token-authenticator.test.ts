import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { ApiError } from '../api-error.ts';
import { bearerToken, TokenAuthenticator } from './token-authenticator.ts';

/** kube-apiserver's TokenReview: `good` is `user`, any other token is rejected; every token asked is noted. */
function reviewing(tokens: string[], user: object): Pick<KubeClient, 'request'> {
  return {
    request: <T>(_m: string, _p: string, options?: { body?: unknown }) => {
      const token = (options?.body as { spec: { token: string } }).spec.token;
      tokens.push(token);
      return Promise.resolve(
        (token === 'good'
          ? { status: { authenticated: true, user } }
          : { status: { authenticated: false, error: 'token expired' } }) as T,
      );
    },
  };
}

describe('TokenAuthenticator', () => {
  it('asks kube-apiserver once per token and caches the answer', async () => {
    const tokens: string[] = [];
    const client = reviewing(tokens, {
      username: 'system:serviceaccount:ns:robot',
      uid: 'u',
      groups: ['system:serviceaccounts'],
    });
    const authenticator = new TokenAuthenticator(client);
    expect(await authenticator.authenticate('good', 'a')).toEqual({
      ok: true,
      user: {
        name: 'system:serviceaccount:ns:robot',
        uid: 'u',
        groups: ['system:serviceaccounts'],
        extra: {},
      },
    });
    await authenticator.authenticate('good', 'a');
    expect(await authenticator.authenticate('bad', 'a')).toEqual({ ok: false, reason: 'token expired' });
    expect(tokens).toEqual(['good', 'bad']);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer  xyz ')).toBe('xyz');
    expect(bearerToken('Basic Zm9v')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('TokenAuthenticator against a flood of bogus tokens (issue 15, finding 10)', () => {
  const rejecting: Pick<KubeClient, 'request'> = {
    request: <T>() => Promise.resolve({ status: { authenticated: false } } as T),
  };

  it('300 distinct bogus tokens from one client in 4.7 s cause at most 25 TokenReviews, the rest 429', async () => {
    let now = 0;
    const authenticator = new TokenAuthenticator(rejecting, { now: () => now });
    const answers: string[] = [];
    for (let i = 0; i < 300; i++) {
      now = Math.round((i * 4700) / 300);
      answers.push(
        await authenticator.authenticate(`bogus-${i}`, '10.0.0.9').then(
          (outcome) => (outcome.ok ? 'ok' : 'rejected'),
          (error: ApiError) => String(error.code),
        ),
      );
    }
    expect(authenticator.reviewsSent).toBe(24);
    expect(answers.filter((a) => a === '429')).toHaveLength(276);
    // Another client is not held back by the first.
    expect(await authenticator.authenticate('bogus-x', '10.0.0.10')).toMatchObject({ ok: false });
  });

  it('keeps a rejection 10 s and a user 2 minutes, by hash', async () => {
    let now = 0;
    const tokens: string[] = [];
    const client = reviewing(tokens, { username: 'robot' });
    const authenticator = new TokenAuthenticator(client, { now: () => now });
    for (let i = 0; i < 100; i++) await authenticator.authenticate('bogus', 'a');
    await authenticator.authenticate('good', 'a');
    now = 11_000;
    await authenticator.authenticate('bogus', 'a');
    await authenticator.authenticate('good', 'a');
    now = 121_000;
    await authenticator.authenticate('good', 'a');
    expect(tokens).toEqual(['bogus', 'good', 'bogus', 'good']);
  });
});
