/**
 * The TLS settings of both listeners, in one place: the serving certificate (rotated without restart through
 * `setSecureContext`) and the protocol floor. A listener that asks for client certificates adds its CAs
 * through `extra` and keeps them across rotations with client-ca-context.ts.
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

/**
 * Mozilla's "intermediate" configuration (as kube-apiserver's own default list): on TLS 1.2 only ECDHE key
 * exchange (forward secrecy) with AEAD ciphers, so no static-RSA key exchange and no CBC with SHA-1; TLS 1.3
 * keeps its three suites. Node's default list offered both of the former on 1.2 (issue 15, finding 11).
 * Every client that talks to prismgate (kube-apiserver, the aggregator, kubectl, Prometheus) speaks these.
 */
export const CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Options of an HTTPS listener serving `tls`; `extra` adds what one listener needs (client certificates). */
export function httpsOptions(tls: TlsMaterial, extra: TlsOptions = {}): TlsOptions {
  return { ...secureContextOptions(tls), minVersion: 'TLSv1.2', ciphers: CIPHERS, ...extra };
}
