import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { issueClientCertificate } from '../../certs/pki.ts';
import {
  AUTHENTICATION_CONFIG,
  CLIENT_CA,
  FRONT_PROXY_CA,
  ONE_DAY,
} from '../../test/support/aggregated-api/authentication-fixture.ts';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { AuthenticationConfig, AuthenticationConfigSource } from './authentication-config.ts';
import { RequestAuthenticator } from './request-authenticator.ts';
import { TokenAuthenticator } from '../../server/delegated-auth/token-authenticator.ts';

const frontProxy = issueClientCertificate(FRONT_PROXY_CA, { name: 'front-proxy-client' }, ONE_DAY);
const developer = issueClientCertificate(
  CLIENT_CA,
  { name: 'dev-user', groups: ['prism-developers'] },
  ONE_DAY,
);

/** A TLS socket whose peer presented `pem` (or nothing). */
function socketWith(pem?: string): TLSSocket {
  const certificate = pem ? new X509Certificate(pem) : undefined;
  return {
    getPeerCertificate: () =>
      certificate
        ? { raw: certificate.raw, fingerprint256: certificate.fingerprint256, issuerCertificate: undefined }
        : {},
  } as unknown as TLSSocket;
}

class StaticConfig implements AuthenticationConfigSource {
  loaded = true;
  private listener: ((config: AuthenticationConfig) => void) | undefined;
  constructor(private config: AuthenticationConfig) {}
  current() {
    return this.config;
  }
  onChange(listener: (config: AuthenticationConfig) => void) {
    this.listener = listener;
  }
  set(config: AuthenticationConfig) {
    this.config = config;
    this.listener?.(config);
  }
}

const CONFIG = AUTHENTICATION_CONFIG;

const tokens: Pick<KubeClient, 'request'> = {
  request: <T>(_m: string, _p: string, options?: { body?: unknown }) =>
    Promise.resolve(
      ((options?.body as { spec: { token: string } }).spec.token === 'robot-token'
        ? { status: { authenticated: true, user: { username: 'robot', groups: ['robots'] } } }
        : { status: { authenticated: false } }) as T,
    ),
};

describe('RequestAuthenticator', () => {
  const config = new StaticConfig(CONFIG);
  const authenticator = new RequestAuthenticator(config, new TokenAuthenticator(tokens));
  const authenticate = (pem: string | undefined, rawHeaders: string[] = [], authorization?: string) =>
    authenticator.authenticate({ socket: socketWith(pem), rawHeaders, authorization });

  it("believes the front proxy's headers, adding system:authenticated", async () => {
    expect(
      await authenticate(frontProxy.certPem, [
        'X-Remote-User',
        'dev-user',
        'X-Remote-Group',
        'prism-developers',
      ]),
    ).toEqual({
      user: { name: 'dev-user', groups: ['prism-developers', 'system:authenticated'], extra: {} },
      method: 'front-proxy',
    });
  });

  it('authenticates cluster client certificates by CN and O, ignoring X-Remote headers from them', async () => {
    expect(
      await authenticate(developer.certPem, ['X-Remote-User', 'admin', 'X-Remote-Group', 'system:masters']),
    ).toEqual({
      user: { name: 'dev-user', groups: ['prism-developers', 'system:authenticated'], extra: {} },
      method: 'client-certificate',
    });
  });

  it('falls back to bearer tokens, and to nobody', async () => {
    expect(await authenticate(undefined, [], 'Bearer robot-token')).toMatchObject({
      user: { name: 'robot' },
      method: 'token',
    });
    expect(await authenticate(undefined, [], 'Bearer forged')).toBeUndefined();
    expect(await authenticate(undefined, ['X-Remote-User', 'admin'])).toBeUndefined();
    // The front proxy without a user header authenticates nobody.
    expect(await authenticate(frontProxy.certPem)).toBeUndefined();
  });

  it('follows changes of the ConfigMap', async () => {
    config.set({ ...CONFIG, requestHeader: { ...CONFIG.requestHeader!, allowedNames: ['another-proxy'] } });
    expect(await authenticate(frontProxy.certPem, ['X-Remote-User', 'dev-user'])).toBeUndefined();
    config.set(CONFIG);
    expect(await authenticate(frontProxy.certPem, ['X-Remote-User', 'dev-user'])).toMatchObject({
      method: 'front-proxy',
    });
  });
});
