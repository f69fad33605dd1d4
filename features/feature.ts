/**
 * A feature is one domain plugged into the prismgate process: Vimana admission, kAppNav status, the policy
 * engine. It starts what it needs (caches, reconcilers) from shared services and contributes admission
 * endpoints; the process serves, registers and stops them together.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ApiDiscovery } from '../pkg/kube/api-discovery.ts';
import type { CacheSet } from '../pkg/kube/cache-set.ts';
import type { KubeClient } from '../pkg/kube/kube-client.ts';
import type { ScriptSandbox } from '../pkg/sandbox/script-sandbox.ts';
import type { AdmissionEndpoint } from '../webhook/admission-endpoint.ts';

/** Whether this replica leads: only the leader writes shared state (status, reports, registration). */
export interface Leadership {
  isLeader(): boolean;
  onChange(listener: (leader: boolean) => void): () => void;
}

export interface SharedServices {
  client: KubeClient;
  caches: CacheSet;
  discovery: ApiDiscovery;
  sandbox: ScriptSandbox;
  log: Logger;
  registry: Registry;
  /** The namespace prismgate runs in (its own Service, Secrets, leases). */
  namespace: string;
  /** kAppNav's namespace: kappnav-config, builtin, global maps, command Jobs. */
  kappnavNamespace: string;
  leadership: Leadership;
}

export interface Feature {
  readonly name: string;
  /** Starts caches and background work; must not wait for caches to sync (readiness reports that). */
  start(services: SharedServices): Promise<void> | void;
  /** Admission endpoints, valid after start(). */
  admissionEndpoints?(): AdmissionEndpoint[];
  /** Extra readiness beyond the shared caches having synced. */
  ready?(): boolean;
  /**
   * prismgate is being removed from the cluster (its registration is being withdrawn): undo what must not
   * outlive it, such as finalizers only it would ever take off. Not called on a plain restart.
   */
  uninstall?(): Promise<void>;
  stop?(): Promise<void> | void;
}
