/** The API resources the Vimana feature reads and writes, as the API server serves them. */
import type { ResourceType } from '../../pkg/kube/resource-type.ts';
import { VIMANA_GROUP, type VimanaKind } from './types.ts';

export const VIMANA_VERSION = 'v1alpha1';

/** The four kinds: namespaced, served only at v1alpha1 (§1.0). */
export const VIMANA_RESOURCES: Record<VimanaKind, ResourceType> = {
  Vimana: {
    group: VIMANA_GROUP,
    version: VIMANA_VERSION,
    resource: 'vimanas',
    kind: 'Vimana',
    namespaced: true,
  },
  Domain: {
    group: VIMANA_GROUP,
    version: VIMANA_VERSION,
    resource: 'domains',
    kind: 'Domain',
    namespaced: true,
  },
  Server: {
    group: VIMANA_GROUP,
    version: VIMANA_VERSION,
    resource: 'servers',
    kind: 'Server',
    namespaced: true,
  },
  Component: {
    group: VIMANA_GROUP,
    version: VIMANA_VERSION,
    resource: 'components',
    kind: 'Component',
    namespaced: true,
  },
};

/** Where the Gateway and GRPCRoute the operator generates live; served only where Gateway API is installed. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
