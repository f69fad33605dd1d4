/**
 * The application the model and resource tests look at, in memory: `stock-trader` in `shop` with two
 * Deployments (one Warning), a Service, and a Deployment in `other` through kappnav.component.namespaces;
 * `bundle` containing stock-trader; `hidden-app`; and an unrelated Deployment.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { application, deployment, service } from '../kappnav/status-fixtures.ts';
import { namespaceObject } from '../kappnav/memory-kappnav-source.ts';

const TRADER = { solution: 'stock-trader' };
const KINDS = [
  { group: 'apps', kind: 'Deployment' },
  { group: 'core', kind: 'Service' },
];

function withUid(object: KubeObject): KubeObject {
  const { namespace = '', name = '' } = object.metadata ?? {};
  return {
    ...object,
    metadata: {
      ...object.metadata,
      uid: `uid-${object.kind}-${namespace}-${name}`,
      creationTimestamp: '2024-01-01T00:00:00Z',
    },
  };
}

export function stockTraderObjects(): KubeObject[] {
  return [
    namespaceObject('shop'),
    namespaceObject('other'),
    namespaceObject('empty'),
    application('stock-trader', {
      namespace: 'shop',
      labels: { bundle: 'included' },
      annotations: { 'kappnav.component.namespaces': 'other' },
      kinds: KINDS,
      selector: { matchLabels: TRADER },
    }),
    application('bundle', {
      namespace: 'shop',
      kinds: [{ group: 'app.k8s.io', kind: 'Application' }],
      selector: { matchLabels: { bundle: 'included' } },
    }),
    application('hidden-app', {
      namespace: 'shop',
      annotations: { 'kappnav.application.hidden': 'true' },
      kinds: KINDS,
      selector: { matchLabels: TRADER },
    }),
    deployment('trader', 'Normal', { namespace: 'shop', labels: TRADER }),
    deployment('portfolio', 'Warning', { namespace: 'shop', labels: TRADER }),
    service('trader', { namespace: 'shop', labels: TRADER }),
    deployment('loyalty', 'Normal', { namespace: 'other', labels: TRADER }),
    deployment('unrelated', 'Problem', { namespace: 'shop', labels: { solution: 'else' } }),
  ].map(withUid);
}
