/**
 * The front proxy (kube-apiserver's aggregator) authenticates the user and forwards the request with its
 * own client certificate and the user in headers (`X-Remote-User`, `X-Remote-Group`, `X-Remote-Extra-*`
 * by default; the names come from the ConfigMap). The headers are believed only from a certificate of
 * the request-header CA whose common name is allowed, exactly as k8s.io/apiserver's requestheader
 * authenticator does; from anyone else they are ignored.
 */
import type { X509Certificate } from 'node:crypto';
import type { RequestHeaderConfig } from './authentication-config.ts';
import { subjectOf, TrustedCertificates } from '../../server/delegated-auth/client-certificate.ts';
import type { User } from '../../server/delegated-auth/user.ts';

/** Header name (lower-case) → every value, in order; repeated headers are not joined. */
export type HeaderValues = ReadonlyMap<string, readonly string[]>;

/** Node's `rawHeaders` as a multimap, so that repeated `X-Remote-Group` headers stay separate values. */
export function headerValues(rawHeaders: readonly string[]): HeaderValues {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const list = values.get(name) ?? [];
    list.push(rawHeaders[i + 1]!);
    values.set(name, list);
  }
  return values;
}

/** Extra keys are sent percent-encoded (keys may hold characters headers may not) and compared lower-case. */
function extraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded).toLowerCase();
  } catch {
    return encoded.toLowerCase();
  }
}

export class RequestHeaderAuthenticator {
  private readonly trusted: TrustedCertificates;

  constructor(private readonly config: RequestHeaderConfig) {
    this.trusted = new TrustedCertificates(config.caPem);
  }

  /** Whether the certificate chain is the front proxy's: this CA, and an allowed common name. */
  isFrontProxy(chain: readonly X509Certificate[]): boolean {
    if (!this.trusted.verifies(chain)) return false;
    const { allowedNames } = this.config;
    return allowedNames.length === 0 || allowedNames.includes(subjectOf(chain[0]!).commonName);
  }

  /** The user the front proxy names, or undefined when it names none. */
  userFromHeaders(headers: HeaderValues): User | undefined {
    const first = (names: readonly string[]) =>
      names
        .map((name) => headers.get(name.toLowerCase())?.find((v) => v !== ''))
        .find((v) => v !== undefined);
    const name = first(this.config.usernameHeaders);
    if (!name) return undefined;
    const groups = this.config.groupHeaders.flatMap((header) => headers.get(header.toLowerCase()) ?? []);
    const extra: Record<string, string[]> = {};
    for (const prefix of this.config.extraHeaderPrefixes.map((p) => p.toLowerCase())) {
      for (const [header, values] of headers) {
        if (!header.startsWith(prefix) || header.length === prefix.length) continue;
        (extra[extraKey(header.slice(prefix.length))] ??= []).push(...values);
      }
    }
    const uid = first(this.config.uidHeaders);
    return { name, ...(uid ? { uid } : {}), groups, extra };
  }
}
