/**
 * The Vimana objects the admission scenarios write: one Vimana, Domain and Server per namespace, then
 * Components of that Server (created, then updated with a label).
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { LABEL_DOMAIN, LABEL_SERVER, LABEL_VERSION } from '../../../features/vimana/names.ts';

const API_VERSION = 'api.vimana.host/v1alpha1';

/** Server `payments`, serving version 1.0.0 alone. */
function server(namespace: string, domainId: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Server',
    metadata: { name: 'payments', namespace },
    spec: {
      id: 'payments',
      domain: domainId,
      services: ['acme.payments.v1.PaymentService'],
      versionWeights: { '1.0.0': 1 },
    },
  };
}

export function parents(namespace: string, domainId: string): KubeObject[] {
  return [
    {
      apiVersion: API_VERSION,
      kind: 'Vimana',
      metadata: { name: 'edge', namespace },
      spec: { regions: ['aws/us-east'] },
    },
    {
      apiVersion: API_VERSION,
      kind: 'Domain',
      metadata: { name: domainId, namespace },
      spec: { id: domainId, vimana: 'edge', aliases: [`api-${domainId.slice(0, 8)}.example.com`] },
    },
    server(namespace, domainId),
  ];
}

/** A Component of Server `payments`, valid under every rule as long as its version is new. */
export function component(namespace: string, domainId: string, version: string): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Component',
    metadata: {
      name: `payments-${version.replaceAll('.', '-')}`,
      namespace,
      // The labels the spec implies, as Vimana's own manifests carry them: the mutation keeps them.
      labels: { [LABEL_DOMAIN]: domainId, [LABEL_SERVER]: 'payments', [LABEL_VERSION]: version },
    },
    spec: {
      version,
      server: 'payments',
      domain: domainId,
      image: `registry.example.com:5000/${domainId}/payments:${version}`,
    },
  };
}

/**
 * New objects valid under every rule, beside the parents of `namespace` (Domain `domainId`, Vimana
 * `edge`): a Component of Server `payments`, a second Server of the Domain, a second Domain.
 */
export function validSamples(namespace: string, domainId: string): KubeObject[] {
  const otherDomain = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  return [
    component(namespace, domainId, '7.7.7'),
    {
      apiVersion: API_VERSION,
      kind: 'Server',
      metadata: { name: 'checkout', namespace },
      spec: { id: 'checkout', domain: domainId, services: ['acme.checkout.v1.CheckoutService'] },
    },
    {
      apiVersion: API_VERSION,
      kind: 'Domain',
      metadata: { name: otherDomain, namespace },
      spec: { id: otherDomain, vimana: 'edge', aliases: ['checkout.example.com'] },
    },
  ];
}
