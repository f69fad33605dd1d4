import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../certs/pki.ts';
import { httpsOptions } from './tls.ts';

const ca = createCertificateAuthority('ca', { validForMs: DAY_MS });
const serving = issueServingCertificate(ca, 'localhost', ['127.0.0.1'], { validForMs: DAY_MS });

describe('httpsOptions (real TLS handshakes)', () => {
  let server: https.Server;
  let port: number;
  beforeAll(async () => {
    server = https.createServer(httpsOptions(serving), (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** The cipher the server agrees to, or the handshake's error. */
  function handshake(options: tls.ConnectionOptions): Promise<string> {
    return new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem, ...options }, () => {
        resolve(`${socket.getProtocol()} ${socket.getCipher().standardName}`);
        socket.destroy();
      });
      socket.on('error', (error) => resolve(`refused: ${error.message}`));
    });
  }

  it.each([
    ['AES128-SHA', 'static RSA, CBC, SHA-1'],
    ['AES256-GCM-SHA384', 'static RSA key exchange'],
    ['ECDHE-RSA-AES128-SHA', 'CBC with SHA-1'],
    ['ECDHE-RSA-AES256-SHA384', 'CBC'],
  ])('refuses %s on TLS 1.2 (%s)', async (cipher) => {
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: cipher })).toMatch(/^refused/);
  });

  it.each([
    ['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    ['ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
    ['ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  ])('accepts %s on TLS 1.2', async (cipher, standardName) => {
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: cipher })).toBe(`TLSv1.2 ${standardName}`);
  });

  it('speaks TLS 1.3 with its default suites, and nothing below 1.2', async () => {
    expect(await handshake({})).toBe('TLSv1.3 TLS_AES_128_GCM_SHA256');
    expect(await handshake({ maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).toMatch(/^refused/);
  });
});
