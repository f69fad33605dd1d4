/**
 * The floor of the webhook benchmarks, in a process of its own (forked by bare-webhook.ts): a fastify
 * HTTPS server with the webhook listener's TLS and HTTP settings that parses each AdmissionReview POSTed to any path
 * and allows it at once. What it costs per review is what Node, TLS and fastify cost on this machine
 * before any admission work; prismgate's figures are read against it.
 *
 * A dry run is the one thing it refuses: that lets a benchmark that registers it with kube-apiserver
 * see that the API server calls it (a dry-run create is denied), without storing anything.
 *
 * Its serving certificate names localhost, 127.0.0.1 and the DNS names given as arguments (the Service
 * name the API server verifies when the floor is registered behind a Service).
 */
import { fastify } from 'fastify';
import { createCertificateAuthority, DAY_MS, issueServingCertificate } from '../../certs/pki.ts';
import { webhookListenerOptions } from '../../webhook/webhook-server.ts';

export interface BareWebhookStarted {
  port: number;
  caBundle: string;
}

interface Review {
  request: { uid: string; dryRun?: boolean };
}

const validity = { validForMs: DAY_MS };
const ca = createCertificateAuthority('bench floor CA', validity);
const serving = issueServingCertificate(
  ca,
  'bench floor',
  ['localhost', '127.0.0.1', ...process.argv.slice(2)],
  validity,
);
const app = fastify(webhookListenerOptions(serving));
app.post('/*', async (request) => {
  const { uid, dryRun } = (request.body as Review).request;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: dryRun
      ? { uid, allowed: false, status: { code: 403, message: 'the benchmark floor refuses dry runs' } }
      : { uid, allowed: true },
  };
});

// Ends with the benchmark, whichever way the benchmark ends.
process.once('disconnect', () => process.exit(0));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({
  port: typeof address === 'object' && address ? address.port : 0,
  caBundle: ca.certPem,
} satisfies BareWebhookStarted);
