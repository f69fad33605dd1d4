/**
 * What a domain (Vimana rules, kAppNav status, policies) plugs into the admission webhook server.
 *
 * An endpoint is one webhook of the cluster's webhook configurations: a path, whether it validates or
 * mutates, and the rules that decide which requests the API server sends to it. Domains implement the
 * check; the server does decoding, time budgets, failing closed, patches, metrics and logging once.
 */
import type { KubeObject } from '../pkg/kube/types.ts';
import type { AdmissionRequest, StatusCause } from './admission-review.ts';

export interface Verdict {
  /** One entry per violation; the request is denied when any is present. */
  denials: StatusCause[];
  warnings: string[];
}

export interface Mutation {
  /** The mutated copy; the server turns the difference into a JSON Patch. */
  object: KubeObject;
  warnings: string[];
}

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: ('CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*')[];
  scope?: 'Namespaced' | 'Cluster' | '*';
}

export interface MatchCondition {
  name: string;
  expression: string;
}

/** How the API server calls an endpoint: becomes one entry of a webhook configuration. */
export interface WebhookDeclaration {
  /** Fully qualified webhook name, e.g. `vimana.validate.prismgate.kappnav.io`. */
  name: string;
  rules: WebhookRule[];
  matchConditions?: MatchCondition[];
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  /** IfNeeded for mutations that depend on other mutations (e.g. labels set by another webhook). */
  reinvocationPolicy?: 'Never' | 'IfNeeded';
}

interface EndpointBase {
  /** URL path on the webhook server, e.g. `/validate/vimana`. */
  path: string;
  /** A short name for metrics and logs. */
  name: string;
  /**
   * Returns the webhook declaration to register; called again whenever `onRulesChanged` fires, so the
   * rules can follow configuration (policies name the kinds they need).
   */
  declaration(): WebhookDeclaration;
  /** Lets the registrar know the declaration changed. */
  onRulesChanged?(listener: () => void): void;
}

export interface ValidatingEndpoint extends EndpointBase {
  type: 'validating';
  validate(request: AdmissionRequest): Verdict | Promise<Verdict>;
}

export interface MutatingEndpoint extends EndpointBase {
  type: 'mutating';
  /** Returns undefined when nothing changes. `object` is a private copy the mutator may change in place. */
  mutate(request: AdmissionRequest, object: KubeObject): Mutation | undefined | Promise<Mutation | undefined>;
}

export type AdmissionEndpoint = ValidatingEndpoint | MutatingEndpoint;
