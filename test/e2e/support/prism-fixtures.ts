/**
 * The objects the prism e2e tests look at, built with the shared kAppNav builders: an application
 * `stock-trader` made of Deployments and a Service, one Deployment in a second namespace
 * (`kappnav.component.namespaces`), a hidden application and an application that contains `stock-trader`
 * (nested). Without a kubelet, every Deployment is Problem (nothing available) and the Service Normal.
 */
import { application, deployment, service, WORKLOAD_KINDS } from './kappnav.ts';

const TRADER = { solution: 'stock-trader' };
const SELECTS_TRADER = { matchLabels: TRADER };

/** `stock-trader` in `shop` (4 components, one in `other`), `hidden-app`, and `bundle` containing stock-trader. */
export function stockTrader(shop: string, other: string): object[] {
  return [
    application('stock-trader', {
      namespace: shop,
      labels: { bundle: 'included' },
      annotations: { 'kappnav.component.namespaces': other },
      kinds: WORKLOAD_KINDS,
      selector: SELECTS_TRADER,
    }),
    application('hidden-app', {
      namespace: shop,
      annotations: { 'kappnav.application.hidden': 'true' },
      kinds: WORKLOAD_KINDS,
      selector: SELECTS_TRADER,
    }),
    application('bundle', {
      namespace: shop,
      kinds: [{ group: 'app.k8s.io', kind: 'Application' }],
      selector: { matchLabels: { bundle: 'included' } },
    }),
    deployment('trader', shop, TRADER),
    deployment('portfolio', shop, TRADER),
    service('trader', shop, TRADER),
    deployment('loyalty', other, TRADER),
    deployment('unrelated', shop, { solution: 'something-else' }),
  ];
}
