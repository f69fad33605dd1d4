/**
 * What a peer is to the benchmark: another admission engine a platform team could pick instead of
 * prismgate, built here and run out of cluster against the local control plane, enforcing the same
 * single-object Vimana rules in its own native form. A peer has one process and one or more gates (one
 * per form of its policies: Gatekeeper has a Rego and a CEL ConstraintTemplate), each a validating
 * endpoint the benchmark registers like prismgate's (registration.ts).
 */
import type { KubeClient } from '../../pkg/kube/kube-client.ts';

export interface PeerContext {
  client: KubeClient;
  kubeconfig: string;
  log(line: string): void;
}

export interface GateEndpoint {
  /** The gate's name in the results: `kyverno`, `gatekeeper-rego`, `pepr`, … */
  gate: string;
  /** The engine and the form of its rules, for the report. */
  form: string;
  port: number;
  /** Where validation reviews are POSTed (by kube-apiserver, and by the webhook scenario directly). */
  path: string;
  caBundle: string;
  /** The Service its serving certificate names (`<name>.<namespace>.svc`); the benchmark creates it. */
  service: { namespace: string; name: string };
}

export interface RunningPeer {
  /** The process that answers the reviews: its CPU and RSS are the peer's. */
  pid: number;
  gates: GateEndpoint[];
  stop(): Promise<void>;
}

export interface Peer {
  /** `kyverno`, `gatekeeper`, `pepr`, `prismgate-policies`. */
  name: string;
  /** The version measured, e.g. `v1.19.1`. */
  version: string;
  /**
   * Builds or installs the peer once per machine (cached; only `npm run bench` does it). Throws with the
   * reason when the peer cannot be had here; the benchmark reports it and runs the others.
   */
  prepare(log: (line: string) => void): Promise<void>;
  /** Starts the peer with its policies loaded; resolves once its gates answer reviews. */
  start(context: PeerContext): Promise<RunningPeer>;
}
