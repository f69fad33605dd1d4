/**
 * The policies in effect: compiled from the policy caches, recompiled only when a policy's generation
 * changes (status writes do not change it, so the feature's own status updates cost nothing), indexed by
 * the group and kind they match so a review looks at its kind's policies only.
 *
 * A policy that does not compile (applied while prismgate was down, so no webhook checked it) is kept
 * aside with its problems, which its status shows; it has no effect.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { byName } from './engine/evaluate.ts';
import { compilePolicy, policyDisplayName, type CompiledPolicy } from './engine/policy.ts';

export interface StoredPolicy {
  key: string;
  resource: KubeObject;
  compiled?: CompiledPolicy;
  problems: readonly string[];
}

export type StoreListener = (changed: StoredPolicy | undefined, removedKey?: string) => void;

export function storeKey(resource: KubeObject): string {
  return `${resource.kind}/${policyDisplayName(resource.kind, resource.metadata?.namespace, resource.metadata?.name ?? '')}`;
}

export class PolicyStore {
  private readonly policies = new Map<string, StoredPolicy>();
  private byKind = new Map<string, CompiledPolicy[]>();
  private readonly listeners = new Set<StoreListener>();

  onChange(listener: StoreListener): void {
    this.listeners.add(listener);
  }

  /** Adds or replaces a policy; compiles it unless this generation is already compiled. */
  upsert(resource: KubeObject): void {
    const key = storeKey(resource);
    const known = this.policies.get(key);
    const same =
      known &&
      known.resource.metadata?.uid === resource.metadata?.uid &&
      known.resource.metadata?.generation === resource.metadata?.generation;
    if (same) {
      known.resource = resource;
      return;
    }
    const result = compilePolicy(resource);
    const stored: StoredPolicy = result.ok
      ? { key, resource, compiled: result.policy, problems: [] }
      : { key, resource, problems: result.problems };
    this.policies.set(key, stored);
    this.reindex();
    for (const listener of this.listeners) listener(stored);
  }

  remove(resource: KubeObject): void {
    const key = storeKey(resource);
    if (!this.policies.delete(key)) return;
    this.reindex();
    for (const listener of this.listeners) listener(undefined, key);
  }

  get(key: string): StoredPolicy | undefined {
    return this.policies.get(key);
  }

  all(): StoredPolicy[] {
    return [...this.policies.values()];
  }

  compiled(): CompiledPolicy[] {
    return this.all().flatMap((p) => (p.compiled ? [p.compiled] : []));
  }

  /** The compiled policies that name group/kind. */
  forKind(group: string, kind: string): readonly CompiledPolicy[] {
    return this.byKind.get(`${group}/${kind}`) ?? [];
  }

  private reindex(): void {
    const index = new Map<string, CompiledPolicy[]>();
    // Sorted once here rather than per review: messages then come out in policy name order.
    for (const policy of this.compiled().sort(byName)) {
      for (const { group, kind } of policy.match.kinds) {
        const key = `${group}/${kind}`;
        index.set(key, [...(index.get(key) ?? []), policy]);
      }
    }
    this.byKind = index;
  }
}
