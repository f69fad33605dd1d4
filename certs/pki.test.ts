import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import https from 'node:https';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  createCertificateAuthority,
  issueClientCertificate,
  issueServingCertificate,
} from './pki.ts';

const validity = { validForMs: DAY_MS };

describe('certificate authority', () => {
  const ca = createCertificateAuthority('prismgate-test-ca', validity);
  const x509 = new X509Certificate(ca.certPem);

  it('is a self-signed CA whose key matches the certificate', () => {
    expect(x509.ca).toBe(true);
    expect(x509.subject).toBe('CN=prismgate-test-ca');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
  });

  it('is valid from a minute ago for the requested lifetime', () => {
    const from = Date.parse(x509.validFrom);
    const to = Date.parse(x509.validTo);
    expect(Date.now() - from).toBeGreaterThanOrEqual(59_000);
    expect(to - Date.now()).toBeGreaterThan(DAY_MS - 120_000);
  });
});

describe('serving certificate', () => {
  const ca = createCertificateAuthority('prismgate-test-ca', validity);
  const serving = issueServingCertificate(
    ca,
    'prismgate.prismgate-system.svc',
    ['prismgate.prismgate-system.svc', 'localhost', '127.0.0.1', '::1'],
    validity,
  );
  const x509 = new X509Certificate(serving.certPem);

  it('carries DNS and IP subject alternative names and is signed by the CA', () => {
    expect(x509.ca).toBe(false);
    expect(x509.subjectAltName).toBe(
      'DNS:prismgate.prismgate-system.svc, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(x509.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(x509.verify(createPublicKey(ca.certPem))).toBe(true);
    expect(x509.checkHost('prismgate.prismgate-system.svc')).toBe('prismgate.prismgate-system.svc');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
  });

  it('completes a real TLS handshake with mutual authentication by a client certificate', async () => {
    const clientCa = createCertificateAuthority('prismgate-client-ca', validity);
    const client = issueClientCertificate(clientCa, { name: 'jane', groups: ['dev', 'ops'] }, validity);
    const server = https.createServer(
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: clientCa.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as tls.TLSSocket).getPeerCertificate();
        res.end(JSON.stringify({ cn: peer.subject.CN, o: peer.subject.O }));
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port,
              servername: 'prismgate.prismgate-system.svc',
              ca: ca.certPem,
              cert: client.certPem,
              key: client.keyPem,
            },
            (res) => {
              let data = '';
              res.on('data', (chunk: Buffer) => (data += chunk.toString()));
              res.on('end', () => resolve(data));
            },
          )
          .on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ cn: 'jane', o: ['dev', 'ops'] });
    } finally {
      server.close();
    }
  });

  it('is refused by a client that trusts another CA', async () => {
    const server = tls.createServer({ cert: serving.certPem, key: serving.keyPem }, (socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const other = createCertificateAuthority('unrelated-ca', validity);
      const error = await new Promise<Error>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: other.certPem, servername: 'localhost' });
        socket.on('error', resolve);
        socket.on('secureConnect', () => resolve(new Error('connected')));
      });
      expect((error as NodeJS.ErrnoException).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      server.close();
    }
  });
});

describe('client certificate', () => {
  it('names the user in CN and the groups in O, for client authentication only', () => {
    const ca = createCertificateAuthority('ca', validity);
    const x509 = new X509Certificate(
      issueClientCertificate(ca, { name: 'system:admin', groups: ['system:masters'] }, validity).certPem,
    );
    expect(x509.subject).toBe('O=system:masters\nCN=system:admin');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });
});
