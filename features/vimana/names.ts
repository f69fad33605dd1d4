/**
 * Names the Vimana operator derives from the resources (vimana-invariants.md §1.5, §1.6).
 *
 * The operator hashes with SHA-224 (56 hex characters) and prefixes the digest, so the same spec always
 * names the same Kubernetes objects. (Its listener comment says SHA-256 and old Helm charts used 48
 * characters of SHA-256; the controllers' code is what counts.)
 */
import { hash } from 'node:crypto';
import { CANONICAL_SUFFIX } from './patterns.ts';

export const LABEL_DOMAIN = 'vimana.host/domain';
export const LABEL_SERVER = 'vimana.host/server';
export const LABEL_VERSION = 'vimana.host/version';

/** One-shot hashing: a status pass names every Component of a namespace, and a Hash object costs 2.5x. */
export function sha224Hex(text: string): string {
  return hash('sha224', text, 'hex');
}

/** `prefixed(hashed(text), prefix)` of `controllers_common.go`. */
function hashedName(prefix: 'd' | 's' | 'l' | 'c', text: string): string {
  return `${prefix}-${sha224Hex(text)}`;
}

export function canonicalHostname(domainId: string): string {
  return `${domainId}${CANONICAL_SUFFIX}`;
}

export function componentName(domainId: string, serverId: string, version: string): string {
  return `${domainId}:${serverId}@${version}`;
}

/** `<domain-id>:<server-id>`, how the deleted overview identifies a Server. */
export function serverName(domainId: string, serverId: string): string {
  return `${domainId}:${serverId}`;
}

export function deploymentName(component: string): string {
  return hashedName('d', component);
}

export function serviceName(component: string): string {
  return hashedName('s', component);
}

export function listenerName(hostname: string): string {
  return hashedName('l', hostname);
}

export function tlsSecretName(hostname: string): string {
  return hashedName('c', hostname);
}

/** The Gateway of a Vimana, and the parentRef of every Domain's GRPCRoute. */
export function gatewayName(vimanaName: string): string {
  return `${vimanaName}-gateway`;
}
