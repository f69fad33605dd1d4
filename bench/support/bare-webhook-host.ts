/**
 * The floor of the webhook benchmark, in a process of its own (forked by bare-webhook.ts): a fastify
 * HTTPS server with prismgate's TLS and HTTP settings whose one route parses the AdmissionReview and
 * allows it at once. What it costs per review is what Node, TLS and fastify cost on this machine before
 * any admission work; prismgate's figures are read against it.
 */
import { fastify } from 'fastify';
import { createCertificateAuthority, DAY_MS, issueServingCertificate } from '../../certs/pki.ts';
import { webhookHttpSettings } from '../../webhook/webhook-server.ts';

export interface BareWebhookStarted {
  port: number;
  caBundle: string;
}

const validity = { validForMs: DAY_MS };
const ca = createCertificateAuthority('bench floor CA', validity);
const serving = issueServingCertificate(ca, 'bench floor', ['localhost', '127.0.0.1'], validity);
const app = fastify(webhookHttpSettings(serving));
app.post('/validate/vimana', async (request) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response: { uid: (request.body as { request: { uid: string } }).request.uid, allowed: true },
}));

// Ends with the benchmark, whichever way the benchmark ends.
process.once('disconnect', () => process.exit(0));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({
  port: typeof address === 'object' && address ? address.port : 0,
  caBundle: ca.certPem,
} satisfies BareWebhookStarted);
