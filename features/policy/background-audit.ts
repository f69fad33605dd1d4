/**
 * The background audit: existing objects judged by the policies, as if they were created now, so that
 * what was admitted before a policy existed (or under Audit) shows in the reports. It runs for a policy
 * when the policy is created or changed (after a short debounce, so a burst of edits is one audit) and for
 * every policy periodically (Gatekeeper audits every 60 s, Kyverno every hour; 10 minutes by default).
 *
 * Objects are listed from the API server page by page, never from the admission path's caches, and the
 * audit yields to the event loop between objects, so admission requests are not held up. Mutate rules
 * and DELETE-only policies are not audited: they describe requests, not objects. Policies with
 * `background: false` are skipped.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ApiDiscovery } from '../../pkg/kube/api-discovery.ts';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { apiVersionOf, collectionPath, type ResourceType } from '../../pkg/kube/resource-type.ts';
import type { KubeList, KubeObject } from '../../pkg/kube/types.ts';
import {
  AUDIT_OPERATION,
  byName,
  matchingPolicies,
  validateWith,
  type ObjectUnderReview,
} from './engine/evaluate.ts';
import type { CompiledPolicy } from './engine/policy.ts';
import { findingOf, type AuditResults, type Finding } from './audit-results.ts';
import type { PolicyMetrics } from './policy-metrics.ts';
import { storeKey } from './policy-store.ts';

const PAGE_SIZE = 500;
const OBJECTS_PER_YIELD = 50;

export interface BackgroundAuditOptions {
  client: KubeClient;
  discovery: ApiDiscovery;
  results: AuditResults;
  metrics: PolicyMetrics;
  log: Logger;
  /** The policies in effect now. */
  policies: () => readonly CompiledPolicy[];
  namespaceLabels: (namespace: string) => Readonly<Record<string, string>> | undefined;
  intervalMs: number;
  debounceMs: number;
  onAudited: (policyKeys: readonly string[]) => void;
}

export function audited(policy: CompiledPolicy): boolean {
  return (
    policy.background && policy.validate.length > 0 && policy.match.operations.some((op) => op !== 'DELETE')
  );
}

/**
 * Where to list a kind for these policies: across namespaces when a ClusterAdmissionPolicy names it, else
 * in the namespaces of the AdmissionPolicies only, which is all they can match.
 */
function listedNamespaces(policies: readonly CompiledPolicy[]): (string | undefined)[] {
  if (policies.some((p) => p.namespace === undefined)) return [undefined];
  return [...new Set(policies.map((p) => p.namespace))];
}

export class BackgroundAudit {
  private readonly pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** When each policy was last audited (ISO time). */
  readonly lastRun = new Map<string, string>();

  constructor(private readonly options: BackgroundAuditOptions) {}

  start(): void {
    this.periodic = setInterval(
      () => this.enqueue(this.options.policies().map((p) => p.resource)),
      this.options.intervalMs,
    );
    this.periodic.unref();
  }

  /** Audits these policies soon (after the debounce). */
  enqueue(resources: readonly KubeObject[]): void {
    for (const resource of resources) this.pending.add(storeKey(resource));
    if (this.pending.size === 0 || this.debounce || this.stopped) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      const keys = new Set(this.pending);
      this.pending.clear();
      this.running = this.running
        .then(() => this.run(keys))
        .catch((err: unknown) => this.options.log.error({ err }, 'background audit failed'));
    }, this.options.debounceMs);
  }

  /** Audits the policies with these keys now. */
  async run(keys: ReadonlySet<string>): Promise<void> {
    const policies = this.options
      .policies()
      .filter((p) => keys.has(storeKey(p.resource)) && audited(p))
      .sort(byName);
    const byKind = new Map<string, CompiledPolicy[]>();
    for (const policy of policies) {
      for (const { group, kind } of policy.match.kinds)
        byKind.set(`${group}/${kind}`, [...(byKind.get(`${group}/${kind}`) ?? []), policy]);
    }
    const findings = new Map(policies.map((p) => [storeKey(p.resource), [] as Finding[]]));
    for (const key of findings.keys()) this.options.results.beginAudit(key);
    for (const [groupKind, named] of byKind) {
      const [group = '', kind = ''] = groupKind.split('/');
      const type = await this.options.discovery.resolveKind(group, kind);
      if (!type) continue;
      // A namespaced AdmissionPolicy never applies to cluster-scoped objects (engine/match.ts).
      const candidates = type.namespaced ? named : named.filter((p) => p.namespace === undefined);
      for (const namespace of listedNamespaces(candidates)) {
        await this.each(type, namespace, async (object) => {
          for (const finding of this.judge(object, type, candidates))
            findings.get(finding.policyKey)?.push(finding);
        });
        if (this.stopped) return;
      }
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const [key, list] of findings) {
      this.options.results.replace(key, list);
      this.lastRun.set(key, now);
    }
    this.options.onAudited([...findings.keys()]);
  }

  private judge(object: KubeObject, type: ResourceType, candidates: readonly CompiledPolicy[]): Finding[] {
    const namespace = object.metadata?.namespace;
    const review: ObjectUnderReview = {
      group: type.group,
      kind: type.kind,
      operation: AUDIT_OPERATION,
      namespace,
      clusterScoped: !type.namespaced,
      name: object.metadata?.name,
      object,
      namespaceLabels: () => (namespace ? this.options.namespaceLabels(namespace) : undefined),
    };
    const timestamp = Math.floor(Date.now() / 1000);
    const ref = {
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      ...(namespace ? { namespace } : {}),
      name: object.metadata?.name ?? '',
      uid: object.metadata?.uid,
    };
    return matchingPolicies(candidates, review).map((policy) => {
      const validation = validateWith(policy, review);
      const finding = findingOf(validation, ref, timestamp);
      this.options.metrics.observe(
        policy.displayName,
        policy.action,
        'audit',
        finding.result,
        validation.violations.length,
        validation.seconds,
        false,
      );
      return finding;
    });
  }

  private async each(
    type: ResourceType,
    namespace: string | undefined,
    visit: (object: KubeObject) => Promise<void>,
  ): Promise<void> {
    let continueToken: string | undefined;
    let seen = 0;
    do {
      const page = await this.options.client.request<KubeList>('GET', collectionPath(type, namespace), {
        query: { limit: PAGE_SIZE, continue: continueToken },
      });
      for (const item of page.items) {
        if (this.stopped) return;
        // List items carry no apiVersion and kind; policies may read them.
        await visit({ ...item, apiVersion: apiVersionOf(type), kind: type.kind });
        if (++seen % OBJECTS_PER_YIELD === 0) await yieldToEventLoop();
      }
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearInterval(this.periodic);
    await this.running;
  }
}
