/**
 * The TLS context of a listener that asks for client certificates has two owners: the process rotates the
 * serving certificate (with `setSecureContext({cert, key})`, as on any listener), and whatever trusts
 * clients decides which CAs the handshake names (the API listener: the client and request-header CAs of
 * the extension-apiserver-authentication ConfigMap, as k8s.io/apiserver names them). `setSecureContext`
 * replaces the whole context, so each owner's change must keep the other's: a CA change must not bring
 * back the certificate of before the last rotation, and a rotation keeps the CA names. Beside tls.ts, so
 * that any listener (the webhook's, once it authenticates kube-apiserver) can ask for client certificates.
 */
import type { SecureContextOptions, Server } from 'node:tls';

export interface ClientCaContext {
  /** Applies new client CAs, keeping the current serving certificate. */
  setClientCas(cas: readonly string[]): void;
}

export function manageClientCas(
  server: Pick<Server, 'setSecureContext'>,
  initialCas: readonly string[],
  serving: SecureContextOptions,
): ClientCaContext {
  const apply = server.setSecureContext.bind(server);
  let cas = [...initialCas];
  let certificate: SecureContextOptions = serving;
  const withCas = (context: SecureContextOptions): SecureContextOptions =>
    cas.length > 0 ? { ...context, ca: cas } : context;
  server.setSecureContext = (context: SecureContextOptions) => {
    certificate = context;
    apply(withCas(context));
  };
  return {
    setClientCas(next) {
      cas = [...next];
      apply(withCas(certificate));
    },
  };
}
