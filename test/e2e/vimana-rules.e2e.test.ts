/**
 * Every rule id through kubectl on the real control plane: a violating manifest denied (or warned, for
 * WARN rules) with the rule's message, and an edge-valid one accepted, as CREATE, UPDATE and DELETE.
 *
 * Each case runs as a server-side dry run in a namespace holding its cluster, so that cases in one
 * cluster cannot disturb each other and run side by side; vimana-gate.e2e.test.ts proves that a dry run
 * gets the same verdict as the real request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import { VIMANA_RULES } from '../../features/vimana/catalogue.ts';
import { TLS_SECRETS } from '../../features/vimana/feature.ts';
import { readString } from '../../features/vimana/fields.ts';
import { VIMANA_RESOURCES } from '../../features/vimana/resource-types.ts';
import { ACME, DOMAIN_ID, ruleIds } from '../support/vimana/fixtures.ts';
import { VIMANA_KINDS, type VimanaKind } from '../../features/vimana/types.ts';
import { eventually, kubectl } from './support/cluster.ts';
import { RULE_CASES, type RuleCase } from './vimana-cases.ts';
import {
  apply,
  freshDomainId,
  replacing,
  startVimanaGate,
  TestNamespaces,
  verdictOf,
  type Verdict,
} from './vimana-gate.ts';

/** The cluster objects in an order one apply accepts, leaving out what the example's cluster orphaned. */
function parentsFirst(objects: readonly KubeObject[]): KubeObject[] {
  const kept: KubeObject[] = objects.filter((object) => !VIMANA_KINDS.includes(object.kind as VimanaKind));
  const has = (kind: string, match: (candidate: KubeObject) => boolean) =>
    kept.some((candidate) => candidate.kind === kind && match(candidate));
  const parentKept: Record<VimanaKind, (object: KubeObject) => boolean> = {
    Vimana: () => true,
    Domain: (domain) => has('Vimana', (v) => v.metadata?.name === readString(domain, 'spec.vimana')),
    Server: (server) => has('Domain', (d) => readString(d, 'spec.id') === readString(server, 'spec.domain')),
    Component: (component) =>
      has(
        'Server',
        (s) =>
          readString(s, 'spec.domain') === readString(component, 'spec.domain') &&
          readString(s, 'spec.id') === readString(component, 'spec.server'),
      ),
  };
  for (const kind of VIMANA_KINDS) {
    kept.push(...objects.filter((object) => object.kind === kind && parentKept[kind](object)));
  }
  return kept;
}

interface Cluster {
  namespace: string;
  /** Every Domain id of the cluster (and the fixture's) mapped to one of its own: R8 is cluster-wide. */
  ids: Record<string, string>;
}

describe('every Vimana rule through kubectl', () => {
  let gate: Prismgate;
  const namespaces = new TestNamespaces();
  const clusters = new Map<string, Cluster>();
  /** Namespace `other` of the fixture: a namespace without Vimana objects. */
  let otherNamespace: string;

  /** Waits until prismgate's caches hold what was applied, or cases would be judged on an old cluster. */
  async function cached(namespace: string, objects: readonly KubeObject[]): Promise<void> {
    const cacheOf = (object: KubeObject) =>
      object.kind === 'Secret'
        ? gate.services.caches.peek(CORE_TYPES.secrets, TLS_SECRETS)
        : gate.services.caches.peek(VIMANA_RESOURCES[object.kind as VimanaKind]);
    await eventually(`prismgate's caches to hold the cluster in ${namespace}`, () =>
      objects.every((object) => cacheOf(object)?.get(namespace, object.metadata?.name ?? '')),
    );
  }

  beforeAll(async () => {
    gate = await startVimanaGate();
    otherNamespace = await namespaces.create('vimana-other');
    const distinct = new Map<string, KubeObject[]>();
    for (const { cluster = ACME } of RULE_CASES) {
      const objects = parentsFirst(cluster);
      distinct.set(JSON.stringify(objects), objects);
    }
    await Promise.all(
      [...distinct].map(async ([key, objects], index) => {
        const namespace = await namespaces.create(`vimana-rules-${index}`);
        const domainIds = [
          DOMAIN_ID,
          ...objects.flatMap((o) => (o.kind === 'Domain' ? [readString(o, 'spec.id') ?? ''] : [])),
        ];
        const ids = Object.fromEntries(domainIds.map((id) => [id, freshDomainId()]));
        const stored = replacing(objects, ids).map((object) => ({
          ...object,
          metadata: { ...object.metadata, namespace },
        }));
        if (stored.length > 0) {
          const result = await apply(namespace, stored);
          if (result.code !== 0) throw new Error(`cluster ${index} did not apply: ${result.stderr}`);
          await cached(namespace, stored);
        }
        clusters.set(key, { namespace, ids });
      }),
    );
  });
  afterAll(async () => {
    await gate?.stop();
    await namespaces.deleteAll();
  });

  async function run(ruleCase: RuleCase): Promise<Verdict> {
    const cluster = clusters.get(JSON.stringify(parentsFirst(ruleCase.cluster ?? ACME)));
    if (!cluster) throw new Error(`no cluster for ${ruleCase.title}`);
    const object = replacing(ruleCase.object, cluster.ids);
    const namespace = object.metadata?.namespace === 'other' ? otherNamespace : cluster.namespace;
    if (ruleCase.action === 'delete') {
      const resource = `${VIMANA_RESOURCES[object.kind as VimanaKind].resource}.api.vimana.host`;
      return verdictOf(
        await kubectl(['delete', resource, object.metadata?.name ?? '', '-n', namespace, '--dry-run=server']),
      );
    }
    return apply(namespace, { ...object, metadata: { ...object.metadata, namespace } }, '--dry-run=server');
  }

  it.concurrent.each(
    RULE_CASES.map((ruleCase) => [ruleCase.outcome, ruleCase.rule, ruleCase.title, ruleCase] as const),
  )('%s %s: %s', async (outcome, rule, _title, ruleCase) => {
    const verdict = await run(ruleCase);
    const cluster = clusters.get(JSON.stringify(parentsFirst(ruleCase.cluster ?? ACME)));
    const message = ruleCase.message && replacing(ruleCase.message, cluster?.ids ?? {});
    const context = `${verdict.stderr}${verdict.stdout}`;
    if (outcome === 'deny') {
      expect(verdict.code, context).not.toBe(0);
      expect(ruleIds(verdict.denials), context).toContain(rule);
      if (message) expect(verdict.denials).toContain(message);
    } else {
      expect(verdict.code, context).toBe(0);
      expect(verdict.stdout, context).toContain('(server dry run)');
      const warned = ruleIds(verdict.warnings).includes(rule);
      expect(warned, context).toBe(outcome === 'warn');
      if (message) expect(verdict.warnings).toContain(message);
    }
  });

  it('has a violating and an edge-valid case for every rule id of the catalogue', () => {
    const all = [...new Set(VIMANA_RULES.map((rule) => rule.rule))].sort();
    const covered = (outcomes: string[]) =>
      [...new Set(RULE_CASES.filter((c) => outcomes.includes(c.outcome)).map((c) => c.rule))].sort();
    expect(covered(['deny', 'warn'])).toEqual(all);
    expect(covered(['allow'])).toEqual(all);
    // Every DENY entry of the catalogue has a denied case, unless the mutation removes its violations first.
    const deniedByRule = covered(['deny']);
    const denyRules = [...new Set(VIMANA_RULES.filter((r) => r.severity === 'deny').map((r) => r.rule))];
    expect(denyRules.filter((rule) => !deniedByRule.includes(rule))).toEqual(['X4']);
  });
});
