/**
 * Policy reports in the wgpolicyk8s.io/v1alpha2 shape: one PolicyReport per namespace and one
 * ClusterPolicyReport for cluster-scoped objects, all named `prismgate-policies`, so their number is
 * bounded by the number of namespaces, never by objects or requests.
 *
 * A report lists what is not compliant (fail, error, warn; a passing object is only counted in the
 * summary, which is where Kyverno's per-object pass results bloated etcd) and at most 500 results, most
 * severe first, with messages of at most 200 characters: a report stays well under 512 KiB, far from
 * etcd's 1.5 MiB object limit. What is left out is counted in the `omitted-results` annotation; the
 * summary always counts everything.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { clip } from '../../pkg/json/json-value.ts';
import type { Finding } from './audit-results.ts';

export const REPORT_NAME = 'prismgate-policies';
export const MAX_REPORT_RESULTS = 500;
export const OMITTED_ANNOTATION = 'policies.prismgate.kappnav.io/omitted-results';
const MAX_MESSAGE_CHARS = 200;

export interface ReportResult {
  source: 'prismgate';
  policy: string;
  rule: string;
  result: 'fail' | 'warn' | 'error';
  message: string;
  scored: true;
  timestamp: { seconds: number; nanos: 0 };
  resources: { apiVersion: string; kind: string; namespace?: string; name: string; uid?: string }[];
  properties: { action: string };
}

const SEVERITY = { fail: 0, error: 1, warn: 2 } as const;

function resultsOf(finding: Finding): ReportResult[] {
  if (finding.result === 'pass') return [];
  const base = {
    source: 'prismgate' as const,
    policy: finding.policy,
    scored: true as const,
    timestamp: { seconds: finding.timestamp, nanos: 0 as const },
    resources: [finding.object],
    properties: { action: finding.action },
  };
  if (finding.result === 'error')
    return [
      { ...base, rule: '', result: 'error', message: clip(finding.error ?? 'error', MAX_MESSAGE_CHARS) },
    ];
  const byRule = new Map<string, string[]>();
  for (const { rule, message } of finding.violations)
    byRule.set(rule, [...(byRule.get(rule) ?? []), message]);
  return [...byRule.entries()].map(([rule, messages]) => ({
    ...base,
    rule,
    result: finding.result as 'fail' | 'warn',
    message: clip(messages.join('; '), MAX_MESSAGE_CHARS),
  }));
}

/** The report for `namespace` ('' → the ClusterPolicyReport). */
export function buildReport(namespace: string, findings: readonly Finding[]): KubeObject {
  const results = findings
    .flatMap(resultsOf)
    .sort(
      (a, b) =>
        SEVERITY[a.result] - SEVERITY[b.result] ||
        a.policy.localeCompare(b.policy) ||
        a.resources[0]!.name.localeCompare(b.resources[0]!.name) ||
        a.rule.localeCompare(b.rule),
    );
  const count = (result: string) => results.filter((r) => r.result === result).length;
  const summary = {
    pass: findings.filter((f) => f.result === 'pass').length,
    fail: count('fail'),
    warn: count('warn'),
    error: count('error'),
    skip: 0,
  };
  const omitted = Math.max(results.length - MAX_REPORT_RESULTS, 0);
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: namespace ? 'PolicyReport' : 'ClusterPolicyReport',
    metadata: {
      name: REPORT_NAME,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': 'prismgate' },
      annotations: { [OMITTED_ANNOTATION]: String(omitted) },
    },
    summary,
    results: results.slice(0, MAX_REPORT_RESULTS),
  };
}
