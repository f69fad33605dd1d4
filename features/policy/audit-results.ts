/**
 * What is known about each policy's compliance: per policy, the latest result for each object it applies
 * to. The background audit replaces a policy's results wholesale; admission updates one object's result
 * as it goes by, so a violation admitted under Audit or Warn shows in the reports within seconds rather
 * than at the next audit. Reports (per namespace) and policy status (per policy) are built from here.
 *
 * Only the latest result per (policy, object) is kept, so memory is bounded by policies × objects, and
 * nothing grows with the number of admission requests (Kyverno's AdmissionReports did, into the millions).
 */
import {
  resultKind,
  type PolicyResultKind,
  type RuleViolation,
  type ValidationResult,
} from './engine/evaluate.ts';
import type { Action } from './engine/policy.ts';
import { storeKey } from './policy-store.ts';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface Finding {
  policyKey: string;
  /** How reports name the policy. */
  policy: string;
  action: Action;
  object: ObjectRef;
  result: PolicyResultKind;
  violations: Pick<RuleViolation, 'rule' | 'message'>[];
  error?: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

/** What one policy's validation of `object` found, as admission and the background audit record it. */
export function findingOf(result: ValidationResult, object: ObjectRef, timestamp: number): Finding {
  return {
    policyKey: storeKey(result.policy.resource),
    policy: result.policy.displayName,
    action: result.policy.action,
    object,
    result: resultKind(result),
    violations: result.violations.map(({ rule, message }) => ({ rule, message })),
    ...(result.error ? { error: result.error } : {}),
    timestamp,
  };
}

export interface Summary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
}

export function objectKey(object: ObjectRef): string {
  return `${object.apiVersion}/${object.kind}/${object.namespace ?? ''}/${object.name}`;
}

function sameOutcome(a: Finding | undefined, b: Finding): boolean {
  return (
    !!a &&
    a.result === b.result &&
    a.error === b.error &&
    a.violations.length === b.violations.length &&
    // Most results are passes: compared without serialising anything.
    (a.violations.length === 0 || JSON.stringify(a.violations) === JSON.stringify(b.violations))
  );
}

/** An unchanged outcome keeps the time it was first seen, so reports do not change with every audit. */
function keepTimestamp(
  previous: Finding | undefined,
  next: Finding,
  same = sameOutcome(previous, next),
): Finding {
  return previous && same ? { ...next, timestamp: previous.timestamp } : next;
}

export class AuditResults {
  private readonly byPolicy = new Map<string, Map<string, Finding>>();
  /**
   * Per policy under audit, the objects admission recorded since the audit began: the audit's list may
   * predate them, so replace() keeps what admission saw rather than drop it until the next audit.
   */
  private readonly recordedDuringAudit = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<(policyKeys: ReadonlySet<string>) => void>();

  /** Called (synchronously) with the policies whose results changed. */
  onChange(listener: (policyKeys: ReadonlySet<string>) => void): void {
    this.listeners.add(listener);
  }

  private changed(policyKeys: ReadonlySet<string>, namespaces: Iterable<string>): void {
    for (const namespace of namespaces) this.dirty.add(namespace);
    for (const listener of this.listeners) listener(policyKeys);
  }

  /** An audit of this policy starts listing now; its results come with replace(). */
  beginAudit(policyKey: string): void {
    this.recordedDuringAudit.set(policyKey, new Set());
  }

  /** The results of a full audit of one policy. */
  replace(policyKey: string, findings: readonly Finding[]): void {
    const before = this.byPolicy.get(policyKey);
    const namespaces = new Set([...(before?.values() ?? [])].map((f) => f.object.namespace ?? ''));
    const next = new Map(
      findings.map((f) => [objectKey(f.object), keepTimestamp(before?.get(objectKey(f.object)), f)]),
    );
    for (const key of this.recordedDuringAudit.get(policyKey) ?? []) {
      const admitted = before?.get(key);
      if (admitted) next.set(key, admitted);
    }
    this.recordedDuringAudit.delete(policyKey);
    for (const finding of findings) namespaces.add(finding.object.namespace ?? '');
    this.byPolicy.set(policyKey, next);
    this.changed(new Set([policyKey]), namespaces);
  }

  /** One object's latest result, seen at admission; `key` is objectKey(finding.object), when known. */
  record(finding: Finding, key = objectKey(finding.object)): void {
    this.recordedDuringAudit.get(finding.policyKey)?.add(key);
    let results = this.byPolicy.get(finding.policyKey);
    if (!results) this.byPolicy.set(finding.policyKey, (results = new Map()));
    const previous = results.get(key);
    const same = sameOutcome(previous, finding);
    // The same outcome for the same object keeps the stored finding as it is: with a hundred policies,
    // replacing it would make a hundred objects per review that live long enough to be promoted, and the
    // old generation's collections would show in the admission latency's tail.
    if (same && previous?.action === finding.action && previous.object.uid === finding.object.uid) return;
    results.set(key, keepTimestamp(previous, finding, same));
    if (!same) this.changed(new Set([finding.policyKey]), [finding.object.namespace ?? '']);
  }

  /** A deleted policy: its results go, and the reports that held them are rewritten. */
  forget(policyKey: string): void {
    this.recordedDuringAudit.delete(policyKey);
    const before = this.byPolicy.get(policyKey);
    if (!before) return;
    this.byPolicy.delete(policyKey);
    this.changed(new Set([policyKey]), new Set([...before.values()].map((f) => f.object.namespace ?? '')));
  }

  summary(policyKey: string): Summary {
    const summary: Summary = { pass: 0, fail: 0, warn: 0, error: 0 };
    for (const finding of this.byPolicy.get(policyKey)?.values() ?? []) summary[finding.result] += 1;
    return summary;
  }

  /** Every finding about objects in `namespace` ('' for cluster-scoped objects). */
  inNamespace(namespace: string): Finding[] {
    return [...this.byPolicy.values()].flatMap((results) =>
      [...results.values()].filter((f) => (f.object.namespace ?? '') === namespace),
    );
  }

  /** A report that could not be written is tried again with the next change. */
  markDirty(namespace: string): void {
    this.dirty.add(namespace);
  }

  /** The namespaces whose reports are out of date, forgotten as they are taken. */
  takeDirty(): string[] {
    const namespaces = [...this.dirty];
    this.dirty.clear();
    return namespaces;
  }
}
