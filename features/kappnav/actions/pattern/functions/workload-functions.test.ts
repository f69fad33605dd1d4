import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../../pkg/sandbox/script-sandbox.ts';
import {
  clusterObjects,
  loyalty,
  object,
  resolverFactory,
  stockTrader,
} from '../../../../../test/support/kappnav/resolution-fixture.ts';
import { labelSelectorString } from './label-selector.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());
const resolverFor = resolverFactory(sandbox);

async function resolve(pattern: string, resource = loyalty, objects = clusterObjects()) {
  return resolverFor(resource, { objects })
    .resolver.resolve(pattern)
    .then(
      (resolved) => resolved.value,
      (error: Error) => `error: ${error.message}`,
    );
}

describe('podlist (kappnav-prism.md §3.6(f))', () => {
  it("lists the pods of the context Deployment's selector in its namespace", async () => {
    expect(await resolve('${func.podlist()}')).toBe('{"pods":["loyalty-1","loyalty-2"]}');
  });

  it('looks the Deployment up by namespace and name (the reference swapped them)', async () => {
    const service = object('v1', 'Service', 'stock-trader', 's');
    expect(await resolve('${func.podlist(stock-trader,portfolio)}', service)).toBe(
      '{"pods":["portfolio","portfolio-2"]}',
    );
    expect(await resolve('${func.podlist(stock-trader,nosuch)}', service)).toBe(
      'error: cannot resolve podlist(stock-trader,nosuch)',
    );
  });

  it('has no value for another kind, and lists nothing for an empty selector', async () => {
    expect(await resolve('${func.podlist()}', stockTrader)).toBe('error: cannot resolve podlist()');
    const open = object('apps/v1', 'Deployment', 'stock-trader', 'open', { spec: { selector: {} } });
    expect(await resolve('${func.podlist()}', open)).toBe('{"pods":[]}');
  });
});

describe('apppodlist (kappnav-prism.md §3.6(f))', () => {
  it("lists the pods of the Application's Deployments, kept to the Application's namespace", async () => {
    expect(await resolve('${func.apppodlist()}', stockTrader)).toBe(
      '{"pods":["loyalty-1","loyalty-2","portfolio","portfolio-2"]}',
    );
  });

  it('keeps a pod whose name is part of another one (the reference dropped it)', async () => {
    // "portfolio" is a substring of "portfolio-2", listed first here.
    const objects = clusterObjects().filter((o) => !(o.kind === 'Pod' && o.metadata?.name === 'portfolio'));
    objects.push(object('v1', 'Pod', 'stock-trader', 'portfolio', { labels: { app: 'portfolio' } }));
    expect(await resolve('${func.apppodlist(stock-trader,stock-trader)}', loyalty, objects)).toBe(
      '{"pods":["loyalty-1","loyalty-2","portfolio-2","portfolio"]}',
    );
  });

  it('has no value for another kind or a missing Application; lists nothing without Deployment components', async () => {
    expect(await resolve('${func.apppodlist()}')).toBe('error: cannot resolve apppodlist()');
    expect(await resolve('${func.apppodlist(stock-trader,nosuch)}')).toBe(
      'error: cannot resolve apppodlist(stock-trader,nosuch)',
    );
    const servicesOnly = {
      ...stockTrader,
      spec: {
        componentKinds: [{ group: '', kind: 'Service' }],
        selector: { matchLabels: { solution: 'stock-trader' } },
      },
    };
    expect(await resolve('${func.apppodlist()}', servicesOnly)).toBe('{"pods":[]}');
  });
});

describe('replicaset (kappnav-prism.md §3.6(f))', () => {
  it("names the Deployment's current ReplicaSet, by ownership and revision", async () => {
    expect(await resolve('${func.replicaset()}')).toBe('loyalty-level-7c9a');
    expect(await resolve('${func.replicaset(stock-trader,loyalty-level)}', stockTrader)).toBe(
      'loyalty-level-7c9a',
    );
  });

  it('falls back to the first selected ReplicaSet when none is owned', async () => {
    const unowned = { ...loyalty, metadata: { ...loyalty.metadata, uid: 'another' } };
    expect(await resolve('${func.replicaset()}', unowned)).toBe('loyalty-level-5d8f');
  });

  it('has no value without ReplicaSets (the reference failed with an uncaught error)', async () => {
    const portfolio = clusterObjects().find(
      (o) => o.metadata?.name === 'portfolio' && o.kind === 'Deployment',
    )!;
    expect(await resolve('${func.replicaset()}', portfolio)).toBe('error: cannot resolve replicaset()');
  });
});

describe('labelSelectorString', () => {
  it('renders matchLabels and valid expressions, dropping unknown operators and In/NotIn without values', () => {
    expect(
      labelSelectorString({
        matchLabels: { app: 'web', tier: 2, bad: {} },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['dev', 'qa'] },
          { key: 'zone', operator: 'NotIn', values: ['a'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'x', operator: 'In' },
          { key: 'y', operator: 'Matches', values: ['z'] },
        ],
      }),
    ).toBe('app=web,tier=2,env in (dev, qa),zone notin (a),gpu,!legacy');
    expect(labelSelectorString(undefined)).toBe('');
  });
});
