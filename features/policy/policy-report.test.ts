import { describe, expect, it } from 'vitest';
import { AuditResults, type Finding } from './audit-results.ts';
import { buildReport, MAX_REPORT_RESULTS, OMITTED_ANNOTATION } from './policy-report.ts';

function finding(name: string, result: Finding['result'], policy = 'p', namespace = 'acme'): Finding {
  return {
    policyKey: `ClusterAdmissionPolicy/${policy}`,
    policy,
    action: result === 'warn' ? 'Warn' : 'Audit',
    object: { apiVersion: 'v1', kind: 'ConfigMap', namespace, name },
    result,
    violations: result === 'fail' || result === 'warn' ? [{ rule: 'r', message: `${name} is wrong` }] : [],
    ...(result === 'error' ? { error: 'policy p failed: boom' } : {}),
    timestamp: 1000,
  };
}

describe('buildReport', () => {
  it('lists what is not compliant, most severe first, and counts passes only in the summary', () => {
    const report = buildReport('acme', [
      finding('a', 'warn'),
      finding('b', 'pass'),
      finding('c', 'fail'),
      finding('d', 'error'),
    ]);
    expect(report).toMatchObject({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: { name: 'prismgate-policies', namespace: 'acme' },
    });
    expect(report['summary']).toEqual({ pass: 1, fail: 1, warn: 1, error: 1, skip: 0 });
    const results = report['results'] as { result: string; message: string; resources: { name: string }[] }[];
    expect(results.map((r) => [r.result, r.resources[0]?.name, r.message])).toEqual([
      ['fail', 'c', 'c is wrong'],
      ['error', 'd', 'policy p failed: boom'],
      ['warn', 'a', 'a is wrong'],
    ]);
    expect(buildReport('', [finding('n', 'fail', 'p', '')]).kind).toBe('ClusterPolicyReport');
  });

  it('stays bounded however many objects fail, and says how many results it left out', () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding(`cm-${String(i).padStart(4, '0')}`, 'fail'));
    const report = buildReport('acme', many);
    expect((report['results'] as unknown[]).length).toBe(MAX_REPORT_RESULTS);
    expect(report.metadata?.annotations?.[OMITTED_ANNOTATION]).toBe('4500');
    expect(report['summary']).toMatchObject({ fail: 5000 });
    expect(JSON.stringify(report).length).toBeLessThan(512 * 1024);
  });
});

describe('AuditResults', () => {
  it('keeps the latest result per policy and object, and marks the namespaces to rewrite', () => {
    const results = new AuditResults();
    const changed: string[][] = [];
    results.onChange((keys) => changed.push([...keys]));
    results.replace('ClusterAdmissionPolicy/p', [finding('a', 'fail'), finding('b', 'pass', 'p', 'other')]);
    expect(results.takeDirty().sort()).toEqual(['acme', 'other']);
    results.record({ ...finding('a', 'pass'), timestamp: 2000 });
    expect(results.summary('ClusterAdmissionPolicy/p')).toEqual({ pass: 2, fail: 0, warn: 0, error: 0 });
    results.record({ ...finding('a', 'pass'), timestamp: 3000 });
    expect(results.inNamespace('acme')[0]?.timestamp).toBe(2000);
    expect(changed).toHaveLength(2);
    results.forget('ClusterAdmissionPolicy/p');
    expect(results.inNamespace('acme')).toEqual([]);
    expect(results.takeDirty().sort()).toEqual(['acme', 'other']);
  });

  it('keeps a stored finding while nothing about it changes, and replaces it for a recreated object', () => {
    const results = new AuditResults();
    const first = { ...finding('a', 'pass'), object: { ...finding('a', 'pass').object, uid: 'u1' } };
    results.record(first);
    results.record({ ...first, timestamp: 2000 });
    expect(results.inNamespace('acme')[0]).toBe(first);
    // The same name, a new object: the finding is about a different object now (same outcome, so the
    // time it was first seen stays).
    const recreated = { ...first, object: { ...first.object, uid: 'u2' }, timestamp: 3000 };
    results.record(recreated);
    expect(results.inNamespace('acme')[0]).toEqual({ ...recreated, timestamp: 1000 });
  });

  it('keeps what admission recorded while an audit of the policy ran: the audit listed before it', () => {
    const results = new AuditResults();
    results.beginAudit('ClusterAdmissionPolicy/p');
    // Created (and judged at admission) after the audit listed its kind.
    results.record({ ...finding('new', 'warn'), timestamp: 2000 });
    results.replace('ClusterAdmissionPolicy/p', [finding('old', 'pass')]);
    expect(
      results
        .inNamespace('acme')
        .map((f) => [f.object.name, f.result])
        .sort(),
    ).toEqual([
      ['new', 'warn'],
      ['old', 'pass'],
    ]);
    // The next audit lists it; without admission meanwhile its result is the audit's.
    results.beginAudit('ClusterAdmissionPolicy/p');
    results.replace('ClusterAdmissionPolicy/p', [finding('old', 'pass')]);
    expect(results.inNamespace('acme').map((f) => f.object.name)).toEqual(['old']);
  });
});
