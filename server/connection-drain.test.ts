import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../certs/pki.ts';
import { trackConnections } from './connection-drain.ts';

describe('trackConnections', () => {
  it('lets close() finish at once although a client holds a connection that never sent a request', async () => {
    const ca = createCertificateAuthority('ca', { validForMs: DAY_MS });
    const serving = issueServingCertificate(ca, 'localhost', ['127.0.0.1'], { validForMs: DAY_MS });
    const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) =>
      res.end('ok'),
    );
    const drain = trackConnections(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // A TLS connection like the ones kube-apiserver opens ahead of need: handshake done, no request.
    const accepted = once(server, 'secureConnection');
    const silent = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem });
    await Promise.all([once(silent, 'secureConnect'), accepted]);
    const closed = once(silent, 'close');
    const started = Date.now();
    drain.drain();
    await new Promise((resolve) => server.close(resolve));
    await closed;
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
