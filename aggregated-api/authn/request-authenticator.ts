/**
 * Who sent a request, trying in turn (k8s.io/apiserver's delegating authenticator, in its order):
 *   1. the front proxy: a request-header CA certificate with an allowed name, user from the headers;
 *   2. a client certificate of the cluster's client CA: user = CN, groups = O;
 *   3. a bearer token, through a TokenReview.
 * Undefined means nobody: credentials were presented but none is accepted (the caller answers 401), or
 * none were presented (the caller treats the request as anonymous, as kube-apiserver's anonymous
 * authenticator does; `presentsCredentials` tells the two apart).
 */
import type { TLSSocket } from 'node:tls';
import type { AuthenticationConfig, AuthenticationConfigSource } from './authentication-config.ts';
import {
  presentedChain,
  subjectOf,
  TrustedCertificates,
} from '../../server/delegated-auth/client-certificate.ts';
import { headerValues, RequestHeaderAuthenticator } from './request-header-authenticator.ts';
import { bearerToken, type TokenAuthenticator } from '../../server/delegated-auth/token-authenticator.ts';
import { SYSTEM_AUTHENTICATED, type User } from '../../server/delegated-auth/user.ts';

export interface Credentials {
  socket: TLSSocket;
  rawHeaders: readonly string[];
  authorization: string | undefined;
}

export type AuthenticationMethod = 'front-proxy' | 'client-certificate' | 'token';

export interface Authenticated {
  user: User;
  method: AuthenticationMethod;
}

function withAuthenticatedGroup(user: User): User {
  return user.groups.includes(SYSTEM_AUTHENTICATED)
    ? user
    : { ...user, groups: [...user.groups, SYSTEM_AUTHENTICATED] };
}

/** Whether the request carries credentials (a client certificate or a bearer token) at all. */
export function presentsCredentials(credentials: Credentials): boolean {
  return (
    presentedChain(credentials.socket).length > 0 || bearerToken(credentials.authorization) !== undefined
  );
}

/** What authenticates requests (the real chain, or a fake in tests). */
export type Authenticator = Pick<RequestAuthenticator, 'authenticate'>;

export class RequestAuthenticator {
  private frontProxy: RequestHeaderAuthenticator | undefined;
  private clientCa: TrustedCertificates | undefined;

  constructor(
    config: AuthenticationConfigSource,
    private readonly tokens: TokenAuthenticator,
  ) {
    this.configure(config.current());
    config.onChange((next) => this.configure(next));
  }

  private configure(config: AuthenticationConfig): void {
    this.frontProxy = config.requestHeader ? new RequestHeaderAuthenticator(config.requestHeader) : undefined;
    this.clientCa = config.clientCaPem ? new TrustedCertificates(config.clientCaPem) : undefined;
  }

  /**
   * Rejects only when the TokenReview itself fails (the caller answers 401), or with a 429 ApiError when
   * the client sent too many unknown tokens.
   */
  async authenticate(credentials: Credentials): Promise<Authenticated | undefined> {
    const chain = presentedChain(credentials.socket);
    if (chain.length > 0) {
      if (this.frontProxy?.isFrontProxy(chain)) {
        const user = this.frontProxy.userFromHeaders(headerValues(credentials.rawHeaders));
        if (user) return { user: withAuthenticatedGroup(user), method: 'front-proxy' };
      }
      if (this.clientCa?.verifies(chain)) {
        const { commonName, organizations } = subjectOf(chain[0]!);
        if (commonName)
          return {
            user: withAuthenticatedGroup({ name: commonName, groups: organizations, extra: {} }),
            method: 'client-certificate',
          };
      }
    }
    const token = bearerToken(credentials.authorization);
    if (token) {
      const outcome = await this.tokens.authenticate(token, credentials.socket.remoteAddress ?? '');
      if (outcome.ok) return { user: withAuthenticatedGroup(outcome.user), method: 'token' };
    }
    return undefined;
  }
}
