/**
 * The TLS settings of both listeners, in one place: the serving certificate (rotated without restart through
 * `setSecureContext`) and the protocol floor.
 */
import type { SecureContextOptions, TlsOptions } from 'node:tls';

/** A serving certificate and its key, PEM-encoded. */
export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

/** What a listener's secure context is built from: the serving certificate, and anything a listener adds. */
export function secureContextOptions(tls: TlsMaterial): SecureContextOptions {
  return { cert: tls.certPem, key: tls.keyPem };
}

/** Options of an HTTPS listener serving `tls`; `extra` adds what one listener needs (client certificates). */
export function httpsOptions(tls: TlsMaterial, extra: TlsOptions = {}): TlsOptions {
  return { ...secureContextOptions(tls), minVersion: 'TLSv1.2', ...extra };
}
