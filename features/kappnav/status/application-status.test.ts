import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { KappnavConfig } from '../model/config.ts';
import { DEFAULT_KAPPNAV_CONFIG, readKappnavConfig } from '../model/config.ts';
import { ApplicationGraph } from '../model/application-graph.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { ApplicationStatusBatch } from './application-status.ts';
import type { StatusOutcome } from './kappnav-status.ts';
import { rollUpStatus } from './status-rollup.ts';
import { application, TEST_TYPES } from '../../../test/support/kappnav/status-fixtures.ts';

/**
 * Graphs by membership labels: application `i` selects everything labelled `in-i`, applications and
 * Deployments alike; a leaf's status is its `status.value`, read without a status map.
 */
const KINDS = [
  { group: 'apps', kind: 'Application' },
  { group: 'apps', kind: 'Deployment' },
];
const memberOf = (...parents: string[]) => Object.fromEntries(parents.map((p) => [`in-${p}`, '']));

function app(
  name: string,
  parents: string[] = [],
  extra: { namespace?: string; selector?: unknown; kinds?: { group: string; kind: string }[] } = {},
): KubeObject {
  return application(name, {
    namespace: extra.namespace ?? 'default',
    labels: memberOf(...parents),
    kinds: extra.kinds ?? KINDS,
    selector: extra.selector ?? { matchExpressions: [{ key: `in-${name}`, operator: 'Exists' }] },
  });
}

function leaf(name: string, value: string, parents: string[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: memberOf(...parents) },
    status: { value },
  };
}

function valueOf(resource: KubeObject): Promise<StatusOutcome> {
  return Promise.resolve({ status: { value: (resource.status as { value: string }).value, flyover: '' } });
}

function batchOver(
  objects: KubeObject[],
  config: KappnavConfig = DEFAULT_KAPPNAV_CONFIG,
  componentStatus = valueOf,
) {
  const cluster = new MemoryCluster(TEST_TYPES, objects);
  const graph = new ApplicationGraph(cluster, cluster, config);
  const batch = new ApplicationStatusBatch({ graph, config, componentStatus });
  const applications = cluster.applications().map((a) => graph.application(a));
  return { graph, batch, applications };
}

async function statuses(objects: KubeObject[], order?: string[], config?: KappnavConfig) {
  const { batch, applications } = batchOver(objects, config);
  const ordered = order ? order.map((name) => applications.find((a) => a.name === name)!) : applications;
  const result = await batch.statusesOf(ordered);
  return Object.fromEntries(result.map(({ application: a, status }) => [a.name, status]));
}

describe('ApplicationStatusBatch', () => {
  it('rolls up leaves and child applications, and counts the direct components in the flyover', async () => {
    const result = await statuses([
      app('top'),
      app('child', ['top']),
      leaf('d1', 'Normal', ['top']),
      leaf('d2', '', ['top']),
      leaf('d3', 'Warning', ['child']),
    ]);
    expect(result).toEqual({
      top: { value: 'Warning', flyover: '3 components: 1 Warning, 1 Unknown, 1 Normal' },
      child: { value: 'Warning', flyover: '1 component: 1 Warning' },
    });
  });

  it('is Unknown without components, and says why', async () => {
    const result = await statuses([app('none'), app('empty', [], { selector: {} })]);
    expect(result).toEqual({
      none: { value: 'Unknown', flyover: 'No components match the selector.' },
      empty: { value: 'Unknown', flyover: 'No components: the selector is empty.' },
    });
  });

  it('gives every member of a cycle the same value, whatever the order (QUIRK of the Go walk fixed)', async () => {
    // A → {B, x}, B → {A}: the Go controller gave A Unknown when it started at A, Normal when at B.
    const objects = [app('A', ['B']), app('B', ['A']), leaf('x', 'Normal', ['A'])];
    for (const order of [['A', 'B'], ['B', 'A'], ['A'], ['B']]) {
      const result = await statuses(objects, order);
      for (const name of order) expect(result[name]?.value).toBe('Normal');
    }
  });

  it('counts a shared child once per parent in a diamond, without skipping it', async () => {
    const result = await statuses([
      app('X'),
      app('Y', ['X']),
      app('W', ['X']),
      app('Z', ['Y', 'W']),
      leaf('z', 'Normal', ['Z']),
    ]);
    expect(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.value]))).toEqual({
      X: 'Normal',
      Y: 'Normal',
      W: 'Normal',
      Z: 'Normal',
    });
    expect(result.X?.flyover).toBe('2 components: 2 Normal');
  });

  it('is Unknown for a cycle without leaves', async () => {
    const result = await statuses([app('A', ['B']), app('B', ['A'])]);
    expect(result.A?.value).toBe('Unknown');
    expect(result.B?.value).toBe('Unknown');
  });

  it('names the cycle in the flyover of its members and reports it once', async () => {
    const { batch, applications } = batchOver([
      app('A', ['B']),
      app('B', ['A']),
      leaf('x', 'Warning', ['A']),
    ]);
    const result = await batch.statusesOf(applications);
    expect(result.map(({ status }) => status)).toEqual([
      {
        value: 'Warning',
        flyover: '2 components: 2 Warning; in a cycle with default/B, which shares its status',
      },
      {
        value: 'Warning',
        flyover: '1 component: 1 Warning; in a cycle with default/A, which shares its status',
      },
    ]);
    expect([...batch.problems]).toEqual([
      "applications default/A, default/B contain each other; each shows the cycle's status",
    ]);
  });

  it('says which componentKinds the cluster does not serve when none is left', async () => {
    const result = await statuses([app('ghost', [], { kinds: [{ group: 'example.com', kind: 'Ghost' }] })]);
    expect(result.ghost).toEqual({
      value: 'Unknown',
      flyover:
        'No components: componentKinds[0] example.com/Ghost is not served by the cluster; it is ignored.',
    });
  });

  it('leaves out applications outside the app-namespaces frontier', async () => {
    const { config } = readKappnavConfig({ 'app-namespaces': 'default' });
    const result = await statuses([app('in'), app('out', [], { namespace: 'elsewhere' })], undefined, config);
    expect(Object.keys(result)).toEqual(['in']);
  });

  it('computes each component once per batch and collects problems once', async () => {
    let calls = 0;
    const counting = (resource: KubeObject): Promise<StatusOutcome> => {
      calls++;
      return Promise.resolve({
        status: { value: 'Unknown', flyover: '' },
        problem: `broken map for ${resource.kind}`,
      });
    };
    const objects = [
      app('A'),
      app('B'),
      leaf('shared', 'Normal', ['A', 'B']),
      leaf('other', 'Normal', ['A']),
    ];
    const { batch, applications } = batchOver(objects, DEFAULT_KAPPNAV_CONFIG, counting);
    await batch.statusesOf(applications);
    await batch.statusesOf(applications);
    expect(calls).toBe(2);
    expect([...batch.problems]).toEqual(['broken map for Deployment']);
  });

  it('answers the ancestors of a resource, recursively and through cycles', () => {
    const objects = [
      app('root'),
      app('mid', ['root', 'loop']),
      app('loop', ['mid']),
      leaf('x', 'Normal', ['mid']),
    ];
    const { graph } = batchOver(objects);
    expect(
      graph
        .ancestorsOf(objects[3]!)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['loop', 'mid', 'root']);
    expect(graph.carriesStatus(objects[3]!)).toBe(true);
    expect(graph.carriesStatus(leaf('stray', 'Normal', []))).toBe(false);
  });

  describe('on random application graphs (property)', () => {
    const VALUES = ['Problem', 'Warning', 'Unknown', 'Normal', '', 'Bogus'];
    const graphs = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.record({
        children: fc.array(fc.uniqueArray(fc.nat(n - 1), { maxLength: n }), { minLength: n, maxLength: n }),
        leaves: fc.array(fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }), {
          minLength: n,
          maxLength: n,
        }),
      }),
    );

    function build({ children, leaves }: { children: number[][]; leaves: string[][] }): KubeObject[] {
      const parents = children.map((_, i) => children.flatMap((c, p) => (c.includes(i) ? [`a${p}`] : [])));
      return [
        ...children.map((_, i) => app(`a${i}`, parents[i])),
        ...leaves.flatMap((values, i) => values.map((v, j) => leaf(`l${i}-${j}`, v, [`a${i}`]))),
      ];
    }

    /** reach[i][j]: a path of one or more membership steps leads from application i to j (self excluded). */
    function reachability(children: number[][]): boolean[][] {
      return children.map((_, start) => {
        const seen = children.map(() => false);
        const pending = children[start]!.filter((c) => c !== start);
        for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
          if (seen[next]) continue;
          seen[next] = true;
          pending.push(...children[next]!.filter((c) => c !== next));
        }
        return seen;
      });
    }

    it('terminates, yields only precedence values, and satisfies the cycle roll-up equation', async () => {
      await fc.assert(
        fc.asyncProperty(graphs, async (shape) => {
          const result = await statuses(build(shape));
          const value = (i: number) => result[`a${i}`]!.value;
          const reach = reachability(shape.children);
          const n = shape.children.length;
          for (let i = 0; i < n; i++) {
            expect([
              ...DEFAULT_KAPPNAV_CONFIG.statusPrecedence,
              DEFAULT_KAPPNAV_CONFIG.statusUnknown,
            ]).toContain(value(i));
            // The members of i's cycle, and what flows into it: their leaves and the values of the
            // applications they contain outside the cycle. The condensation is acyclic, so these
            // equations have one solution, and it is the one to find.
            const cycle = [...Array(n).keys()].filter((j) => j === i || (reach[i]![j] && reach[j]![i]));
            const inputs = cycle.flatMap((m) => [
              ...shape.leaves[m]!,
              ...shape.children[m]!.filter((c) => !cycle.includes(c)).map(value),
            ]);
            expect(value(i)).toBe(rollUpStatus(inputs, DEFAULT_KAPPNAV_CONFIG));
          }
        }),
        { numRuns: 200 },
      );
    });

    it('does not depend on which applications a batch is asked for, or in which order', async () => {
      await fc.assert(
        fc.asyncProperty(graphs, fc.nat(), async (shape, seed) => {
          const objects = build(shape);
          const all = await statuses(objects);
          const names = Object.keys(all);
          const shuffled = [...names].sort(
            (a, b) => ((a.charCodeAt(1) * 31 + seed) % 7) - ((b.charCodeAt(1) * 31 + seed) % 7),
          );
          expect(await statuses(objects, shuffled)).toEqual(all);
          for (const name of names) expect((await statuses(objects, [name]))[name]).toEqual(all[name]);
        }),
        { numRuns: 100 },
      );
    });
  });
});
