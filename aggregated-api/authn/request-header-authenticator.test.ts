import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueClientCertificate } from '../../certs/pki.ts';
import {
  AUTHENTICATION_CONFIGMAP,
  CLIENT_CA,
  FRONT_PROXY_CA,
  ONE_DAY,
} from '../../test/support/aggregated-api/authentication-fixture.ts';
import { readAuthenticationConfig, trustedClientCas } from './authentication-config.ts';
import { headerValues, RequestHeaderAuthenticator } from './request-header-authenticator.ts';

describe('readAuthenticationConfig', () => {
  it('reads the ConfigMap kube-apiserver publishes', () => {
    const config = readAuthenticationConfig(AUTHENTICATION_CONFIGMAP);
    expect(config.requestHeader).toEqual({
      caPem: FRONT_PROXY_CA.certPem,
      allowedNames: ['front-proxy-client'],
      usernameHeaders: ['X-Remote-User'],
      uidHeaders: ['X-Remote-Uid'],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
    });
    expect(trustedClientCas(config)).toEqual([FRONT_PROXY_CA.certPem, CLIENT_CA.certPem]);
  });

  it('tolerates a missing ConfigMap and malformed lists', () => {
    expect(readAuthenticationConfig(undefined)).toEqual({});
    expect(
      readAuthenticationConfig({ 'requestheader-client-ca-file': 'x', 'requestheader-allowed-names': 'nope' })
        .requestHeader?.allowedNames,
    ).toEqual([]);
  });
});

describe('RequestHeaderAuthenticator', () => {
  const authenticator = new RequestHeaderAuthenticator(
    readAuthenticationConfig(AUTHENTICATION_CONFIGMAP).requestHeader!,
  );
  const chainOf = (pem: string) => [new X509Certificate(pem)];

  it('trusts only the request-header CA, and only allowed names', () => {
    expect(
      authenticator.isFrontProxy(
        chainOf(issueClientCertificate(FRONT_PROXY_CA, { name: 'front-proxy-client' }, ONE_DAY).certPem),
      ),
    ).toBe(true);
    expect(
      authenticator.isFrontProxy(
        chainOf(issueClientCertificate(FRONT_PROXY_CA, { name: 'someone-else' }, ONE_DAY).certPem),
      ),
    ).toBe(false);
    expect(
      authenticator.isFrontProxy(
        chainOf(issueClientCertificate(CLIENT_CA, { name: 'front-proxy-client' }, ONE_DAY).certPem),
      ),
    ).toBe(false);
    const anyName = new RequestHeaderAuthenticator({
      ...readAuthenticationConfig(AUTHENTICATION_CONFIGMAP).requestHeader!,
      allowedNames: [],
    });
    expect(
      anyName.isFrontProxy(
        chainOf(issueClientCertificate(FRONT_PROXY_CA, { name: 'someone-else' }, ONE_DAY).certPem),
      ),
    ).toBe(true);
  });

  it('reads user, uid, every group header value and the extras (keys unescaped, lower-cased)', () => {
    const headers = headerValues([
      'X-Remote-User',
      'dev-user',
      'X-Remote-Uid',
      '1234',
      'X-Remote-Group',
      'prism-developers',
      'X-Remote-Group',
      'system:authenticated, with comma',
      'X-Remote-Extra-Scopes',
      'view',
      'X-Remote-Extra-Scopes',
      'edit',
      'X-Remote-Extra-Acme.com%2Fproject',
      'p1',
      'Authorization',
      'Bearer x',
    ]);
    expect(authenticator.userFromHeaders(headers)).toEqual({
      name: 'dev-user',
      uid: '1234',
      groups: ['prism-developers', 'system:authenticated, with comma'],
      extra: { scopes: ['view', 'edit'], 'acme.com/project': ['p1'] },
    });
  });

  it('names nobody without a user header', () => {
    expect(authenticator.userFromHeaders(headerValues(['X-Remote-Group', 'g']))).toBeUndefined();
  });
});
