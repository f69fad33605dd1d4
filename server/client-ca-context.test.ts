import type { SecureContextOptions } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { manageClientCas } from './client-ca-context.ts';

describe('manageClientCas', () => {
  it('keeps the client CAs when the process rotates the certificate, and the certificate when the CAs change', () => {
    const applied: SecureContextOptions[] = [];
    const server = { setSecureContext: (context: SecureContextOptions) => void applied.push(context) };
    const context = manageClientCas(server, ['front-proxy-ca'], { cert: 'cert-1', key: 'key-1' });
    server.setSecureContext({ cert: 'cert-2', key: 'key-2' });
    expect(applied.at(-1)).toEqual({ cert: 'cert-2', key: 'key-2', ca: ['front-proxy-ca'] });
    context.setClientCas(['front-proxy-ca', 'client-ca']);
    expect(applied.at(-1)).toEqual({ cert: 'cert-2', key: 'key-2', ca: ['front-proxy-ca', 'client-ca'] });
    context.setClientCas([]);
    expect(applied.at(-1)).toEqual({ cert: 'cert-2', key: 'key-2' });
  });
});
