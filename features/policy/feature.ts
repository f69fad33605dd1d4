/**
 * The policy engine as a prismgate feature: policies from their caches into the store, the admission
 * endpoints with webhook rules that follow the kinds policies name, the background audit, policy reports,
 * policy status and metrics.
 *
 *   policy cache event → store (compile per generation) → webhook rules → re-registration (seconds)
 *                                                       → background audit → results → reports, status
 *   admission review   → matching policies → verdict / mutation, metrics, results → reports, status
 */
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import type { CacheEvent, ResourceCache } from '../../pkg/kube/resource-cache.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { Feature, SharedServices } from '../feature.ts';
import type { AdmissionEndpoint, WebhookDeclaration } from '../../webhook/admission-endpoint.ts';
import { AuditResults } from './audit-results.ts';
import { BackgroundAudit } from './background-audit.ts';
import {
  mutatingPolicyEndpoint,
  policyResourceEndpoint,
  validatingPolicyEndpoint,
} from './policy-endpoints.ts';
import { PolicyMetrics } from './policy-metrics.ts';
import { PolicyStore, type StoredPolicy } from './policy-store.ts';
import { ReportWriter } from './report-writer.ts';
import { CLUSTER_POLICIES, NAMESPACED_POLICIES } from './resource-types.ts';
import { PolicyStatusWriter } from './status-writer.ts';
import { clusterScopedKinds, webhookRules } from './webhook-rules.ts';

export interface PolicyFeatureOptions {
  /** Every policy is audited this often; 10 minutes by default. */
  auditIntervalMs?: number;
  /** A changed policy is audited after this quiet time; 1 s by default. */
  auditDebounceMs?: number;
  /** Reports and status are written at most this often; 1 s by default. */
  writeDebounceMs?: number;
  /** Unserved kinds are looked up again this often (a CRD installed after its policy); 10 s by default. */
  discoveryRetryMs?: number;
}

interface Declarations {
  validating: WebhookDeclaration;
  mutating: WebhookDeclaration;
}

const VALIDATING_NAME = 'policies.validate.prismgate.kappnav.io';
const MUTATING_NAME = 'policies.mutate.prismgate.kappnav.io';

/** What runs once the feature has started. */
class PolicyEngine {
  readonly store = new PolicyStore();
  readonly results = new AuditResults();
  readonly metrics: PolicyMetrics;
  readonly audit: BackgroundAudit;
  private readonly reports: ReportWriter;
  private readonly statuses: PolicyStatusWriter;
  private readonly namespaces: ResourceCache;
  private declarations: Declarations = {
    validating: { name: VALIDATING_NAME, rules: [] },
    mutating: { name: MUTATING_NAME, rules: [] },
  };
  private unresolved = new Set<string>();
  private readonly rulesListeners = new Set<() => void>();
  private readonly pendingStatus = new Set<string>();
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly discoveryRetry: NodeJS.Timeout;
  private following = false;
  /** The feature's endpoints, made once: the registrar hooks onRulesChanged on these objects. */
  readonly endpoints: AdmissionEndpoint[];

  constructor(
    private readonly services: SharedServices,
    private readonly options: PolicyFeatureOptions,
  ) {
    const { client, caches, log, registry } = services;
    this.metrics = new PolicyMetrics(registry);
    this.namespaces = caches.get(CORE_TYPES.namespaces);
    const leadership = services.leadership;
    this.reports = new ReportWriter(client, this.results, log, options.writeDebounceMs ?? 1000, () =>
      leadership.isLeader(),
    );
    // Reports and policy status are shared state: the leader writes them, and a new leader catches up.
    leadership.onChange((leading) => {
      if (!leading) return;
      this.reports.schedule();
      this.scheduleStatus(this.store.all().map((p) => p.key));
    });
    this.statuses = new PolicyStatusWriter(client, log);
    this.audit = new BackgroundAudit({
      client,
      discovery: services.discovery,
      results: this.results,
      metrics: this.metrics,
      log,
      policies: () => this.store.compiled(),
      namespaceLabels: this.namespaceLabels,
      intervalMs: options.auditIntervalMs ?? 10 * 60_000,
      debounceMs: options.auditDebounceMs ?? 1000,
      onAudited: (keys) => this.scheduleStatus(keys),
    });
    this.results.onChange((keys) => {
      this.reports.schedule();
      this.scheduleStatus(keys);
    });
    this.store.onChange((changed, removedKey) => this.policyChanged(changed, removedKey));
    this.followPolicies();
    if (!this.following)
      log.warn('the policy CRDs are not served (apply manifests/crds/); policies wait for them');
    // A policy may name a kind before its CRD is installed (and the policy CRDs may come after prismgate):
    // discovery is looked at again now and then.
    this.discoveryRetry = setInterval(() => this.retryDiscovery(), options.discoveryRetryMs ?? 10_000);
    this.discoveryRetry.unref();
    this.audit.start();
    this.endpoints = this.makeEndpoints();
  }

  readonly namespaceLabels = (name: string) => this.namespaces.get(undefined, name)?.metadata?.labels;

  private makeEndpoints(): AdmissionEndpoint[] {
    const context = {
      store: this.store,
      metrics: this.metrics,
      results: this.results,
      namespaceLabels: this.namespaceLabels,
      declarations: () => this.declarations,
      onRulesChanged: (listener: () => void) => this.rulesListeners.add(listener),
    };
    return [
      validatingPolicyEndpoint(context),
      mutatingPolicyEndpoint(context),
      policyResourceEndpoint(this.services.discovery),
    ];
  }

  private policyChanged(changed: StoredPolicy | undefined, removedKey: string | undefined): void {
    this.recomputeRules();
    const all = this.store.all();
    this.metrics.policies(all.filter((p) => p.compiled).length, all.filter((p) => !p.compiled).length);
    if (changed) {
      if (!changed.compiled)
        this.services.log.warn(
          { policy: changed.key, problems: changed.problems },
          'policy does not compile; it has no effect',
        );
      this.scheduleStatus([changed.key]);
      if (changed.compiled) this.audit.enqueue([changed.resource]);
    }
    if (removedKey) {
      this.results.forget(removedKey);
      this.statuses.forget(removedKey);
    }
  }

  /** The webhook rules for the policies now; listeners (re-registration) hear of real changes only. */
  private recomputeRules(): void {
    const compiled = this.store.compiled();
    const { discovery } = this.services;
    const validating = webhookRules(
      compiled.filter((p) => p.validate.length > 0),
      discovery,
    );
    const mutating = webhookRules(
      compiled.filter((p) => p.mutate.length > 0),
      discovery,
    );
    this.unresolved = new Set([...validating.unresolved, ...mutating.unresolved]);
    const next: Declarations = {
      validating: { name: VALIDATING_NAME, rules: validating.rules },
      mutating: { name: MUTATING_NAME, rules: mutating.rules },
    };
    if (JSON.stringify(next) === JSON.stringify(this.declarations)) return;
    this.declarations = next;
    for (const listener of this.rulesListeners) listener();
  }

  /**
   * Caches of the policy kinds, once the API server serves them. Until then there is no cache: a cache of an
   * unserved resource would never sync and keep the whole process unready, which would block every kind
   * the other features' webhooks gate (failurePolicy Fail).
   */
  private followPolicies(): void {
    if (this.following) return;
    const { caches, discovery } = this.services;
    const served = [CLUSTER_POLICIES, NAMESPACED_POLICIES].every((type) =>
      discovery.forResource(type.group, type.resource, type.version),
    );
    if (!served) return;
    this.following = true;
    for (const type of [CLUSTER_POLICIES, NAMESPACED_POLICIES]) {
      caches
        .get(type)
        .onEvent((event: CacheEvent<KubeObject>) =>
          event.type === 'DELETED' ? this.store.remove(event.object) : this.store.upsert(event.object),
        );
    }
  }

  private retryDiscovery(): void {
    if (this.unresolved.size === 0 && this.following) return;
    this.services.discovery.refresh().then(
      () => {
        this.followPolicies();
        const before = [...this.unresolved].join();
        this.recomputeRules();
        if ([...this.unresolved].join() !== before) this.scheduleStatus(this.store.all().map((p) => p.key));
      },
      (err: unknown) => this.services.log.warn({ err }, 'discovery refresh failed'),
    );
  }

  private scheduleStatus(keys: Iterable<string>): void {
    for (const key of keys) this.pendingStatus.add(key);
    this.statusTimer ??= setTimeout(() => void this.writeStatuses(), this.options.writeDebounceMs ?? 1000);
  }

  private async writeStatuses(): Promise<void> {
    this.statusTimer = undefined;
    if (!this.services.leadership.isLeader()) return;
    const keys = [...this.pendingStatus];
    this.pendingStatus.clear();
    for (const key of keys) {
      const policy = this.store.get(key);
      if (!policy) continue;
      const kinds = policy.compiled?.match.kinds.map((k) => `${k.group}/${k.kind}`) ?? [];
      await this.statuses.write({
        policy,
        summary: this.results.summary(key),
        unresolvedKinds: kinds.filter((k) => this.unresolved.has(k)),
        clusterScopedKinds: policy.compiled
          ? clusterScopedKinds(policy.compiled, this.services.discovery)
          : [],
        lastAudit: this.audit.lastRun.get(key),
      });
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.discoveryRetry);
    clearTimeout(this.statusTimer);
    await this.audit.stop();
    await this.reports.stop();
  }
}

export function policyFeature(options: PolicyFeatureOptions = {}): Feature {
  let engine: PolicyEngine | undefined;
  return {
    name: 'policies',
    start: (services) => {
      engine = new PolicyEngine(services, options);
    },
    admissionEndpoints: () => engine?.endpoints ?? [],
    stop: () => engine?.stop(),
  };
}
