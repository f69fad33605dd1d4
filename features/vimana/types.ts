/**
 * The four Vimana kinds (`api.vimana.host/v1alpha1`) as the CRD schema declares them.
 *
 * These shapes say what a well-formed object looks like, not what arrives: a mutating webhook sees the
 * object before schema validation, the offline CLI reads arbitrary files, and every field is optional at
 * the root. So code in this module reads objects through `fields.ts`, which checks each JSON type, and
 * never relies on these declarations being true.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';

export const VIMANA_GROUP = 'api.vimana.host';
export const VIMANA_KINDS = ['Vimana', 'Domain', 'Server', 'Component'] as const;
export type VimanaKind = (typeof VIMANA_KINDS)[number];

/** metav1.Condition, as the CRDs declare `status.conditions[]`. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface VimanaSpec {
  regions?: string[];
}

export interface VimanaStatus {
  conditions?: Condition[];
  gatewayName?: string;
  domainCount?: number;
  listeners?: GatewayListener[];
}

export interface GatewayListener {
  hostname: string;
  name: string;
  secretName: string;
}

export interface DomainSpec {
  id?: string;
  vimana?: string;
  aliases?: string[];
  regions?: string[];
  failover?: string[];
  grpc?: { reflection?: { noneBut?: string[]; allBut?: string[] } };
  openApi?: boolean;
}

export type ReflectionMode = 'off' | 'noneBut' | 'allBut';

export interface DomainStatus {
  conditions?: Condition[];
  canonicalHostname?: string;
  hostnames?: string[];
  routeName?: string;
  gatewayRef?: string;
  tlsSecretNames?: string[];
  reflectionMode?: ReflectionMode;
}

export interface ServerSpec {
  id?: string;
  domain?: string;
  services?: string[];
  auth?: { jwks?: string[] };
  features?: Record<string, Record<string, never>>;
  versionWeights?: Record<string, number>;
}

export interface ServerStatus {
  conditions?: Condition[];
  serverName?: string;
  trafficPercent?: Record<string, number>;
  traffic?: string;
  backendServices?: Record<string, string>;
  missingComponents?: string[];
}

export interface ComponentSpec {
  version?: string;
  server?: string;
  domain?: string;
  image?: string;
}

export interface ComponentStatus {
  conditions?: Condition[];
  componentName?: string;
  deploymentName?: string;
  serviceName?: string;
  weight?: number;
  trafficPercent?: number;
  imageRegistry?: string;
}

export interface Vimana extends KubeObject {
  spec?: VimanaSpec;
  status?: VimanaStatus;
}

export interface Domain extends KubeObject {
  spec?: DomainSpec;
  status?: DomainStatus;
}

export interface Server extends KubeObject {
  spec?: ServerSpec;
  status?: ServerStatus;
}

export interface Component extends KubeObject {
  spec?: ComponentSpec;
  status?: ComponentStatus;
}

export type VimanaObject = Vimana | Domain | Server | Component;

export interface ObjectRef {
  namespace: string;
  name: string;
}
