/**
 * Who may send AdmissionReviews: kube-apiserver, authenticated by the client certificate its
 * AdmissionConfiguration gives it for prismgate's host (a `WebhookAdmissionConfiguration` whose
 * `kubeConfigFile` names a user with a client certificate; SIG Security's admission threat model,
 * mitigation 3). As Gatekeeper's `--client-ca-name` and `--client-cn-name`: the certificate must chain to
 * the configured CA and carry one of the allowed common names. Without it anyone who reached the port
 * could POST reviews and learn from the answers whether objects exist (issue 15, finding 4).
 *
 * The handshake asks for a certificate of that CA but never refuses one: the kubelet's probes of /readyz
 * and /livez come without. Every admission route answers 401 without a valid certificate, 403 for another
 * name, before the body is read.
 */
import type { TLSSocket } from 'node:tls';
import type { onRequestAsyncHookHandler } from 'fastify';
import { ApiError, unauthorized } from '../server/api-error.ts';
import {
  presentedChain,
  subjectOf,
  TrustedCertificates,
} from '../server/delegated-auth/client-certificate.ts';

export interface WebhookClients {
  /** The CA (PEM bundle) kube-apiserver's webhook client certificate chains to. */
  caPem: string;
  /** The common names accepted (Gatekeeper's default: `kube-apiserver`). */
  names: readonly string[];
}

/** The onRequest hook of the admission routes. */
export function webhookClientHook(clients: WebhookClients): onRequestAsyncHookHandler {
  const trusted = new TrustedCertificates(clients.caPem);
  if (trusted.empty) throw new Error('the webhook client CA holds no certificate');
  const names = new Set(clients.names);
  return async (request) => {
    const chain = presentedChain(request.raw.socket as TLSSocket);
    if (!trusted.verifies(chain)) throw unauthorized();
    const { commonName } = subjectOf(chain[0]!);
    if (!names.has(commonName))
      throw new ApiError(
        403,
        'Forbidden',
        `forbidden: client certificate ${JSON.stringify(commonName)} may not send admission reviews`,
        {},
      );
  };
}
