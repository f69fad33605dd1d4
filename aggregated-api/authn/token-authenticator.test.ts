import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { bearerToken, TokenAuthenticator } from './token-authenticator.ts';

describe('TokenAuthenticator', () => {
  it('asks kube-apiserver once per token and caches the answer', async () => {
    const tokens: string[] = [];
    const client: Pick<KubeClient, 'request'> = {
      request: <T>(_m: string, _p: string, options?: { body?: unknown }) => {
        const token = (options?.body as { spec: { token: string } }).spec.token;
        tokens.push(token);
        return Promise.resolve(
          (token === 'good'
            ? {
                status: {
                  authenticated: true,
                  user: {
                    username: 'system:serviceaccount:ns:robot',
                    uid: 'u',
                    groups: ['system:serviceaccounts'],
                  },
                },
              }
            : { status: { authenticated: false, error: 'token expired' } }) as T,
        );
      },
    };
    const authenticator = new TokenAuthenticator(client);
    expect(await authenticator.authenticate('good')).toEqual({
      ok: true,
      user: {
        name: 'system:serviceaccount:ns:robot',
        uid: 'u',
        groups: ['system:serviceaccounts'],
        extra: {},
      },
    });
    await authenticator.authenticate('good');
    expect(await authenticator.authenticate('bad')).toEqual({ ok: false, reason: 'token expired' });
    expect(tokens).toEqual(['good', 'bad']);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer  xyz ')).toBe('xyz');
    expect(bearerToken('Basic Zm9v')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
