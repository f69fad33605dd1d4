import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ScriptSandbox } from '../../../../../pkg/sandbox/script-sandbox.ts';
import { measureWork } from '../../../../../test/support/bounded-work.ts';
import {
  clusterObjects,
  loyalty,
  object,
  resolverFactory,
} from '../../../../../test/support/kappnav/resolution-fixture.ts';
import { PatternError } from '../language/pattern-error.ts';
import { parseKubectlGetArgs } from './kubectl-get-args.ts';
import { renderJsonPathTemplate } from './kubectl-output.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());
const resolverFor = resolverFactory(sandbox);

/** kubectlGet with the given arguments (joined with commas), as the output text or the error message. */
async function kubectl(args: string) {
  const { resolver, resources } = resolverFor(loyalty);
  const output = await resolver.resolve(`\${func.kubectlGet(${args})}`).then(
    (resolved) => resolved.value,
    (error: Error) => `error: ${error.message}`,
  );
  return { output, calls: resources.calls };
}

describe('kubectlGet (kappnav-prism.md §3.6(f))', () => {
  it('gets one object by name as kubectl -o json prints it', async () => {
    const { output, calls } = await kubectl('Route,loyalty-level,-n,stock-trader,-o,json');
    expect(output).toBe(
      `${JSON.stringify({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'loyalty-level', namespace: 'stock-trader' }, spec: { host: 'loyalty.apps.example.com' } }, null, 4)}\n`,
    );
    expect(calls).toEqual(['get routes stock-trader/loyalty-level']);
  });

  it('lists by label selector as a List, in every spelling of the flags', async () => {
    for (const args of [
      'pods,-l,app=loyalty,-n,stock-trader,-o,json',
      'pods,--selector=app=loyalty,--namespace=stock-trader,-ojson',
      'pod,-lapp=loyalty,-nstock-trader,--output,json',
      'Pod,--selector,app=loyalty,-n=stock-trader,-o=json',
    ]) {
      const list = JSON.parse((await kubectl(args)).output) as {
        kind: string;
        items: { metadata: { name: string } }[];
      };
      expect(list.kind).toBe('List');
      expect(list.items.map((item) => item.metadata.name)).toEqual(['loyalty-1', 'loyalty-2']);
    }
  });

  it('prints yaml, names and jsonpath templates', async () => {
    expect(parse((await kubectl('pods/loyalty-1,-n,stock-trader,-o,yaml')).output)).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'loyalty-1' },
    });
    expect((await kubectl('pods,-l,app=loyalty,-n,stock-trader,-o,name')).output).toBe(
      'pod/loyalty-1\npod/loyalty-2\n',
    );
    expect((await kubectl('replicasets,-n,stock-trader,-l,app=loyalty,-o,name')).output).toBe(
      'replicaset.apps/loyalty-level-5d8f\nreplicaset.apps/loyalty-level-7c9a\nreplicaset.apps/loyalty-level-stray\n',
    );
    const { resolver } = resolverFor(loyalty, {
      actionMap: { snippets: { t: "function t() { return '{.items[*].metadata.name}'; }" } },
    });
    expect(
      (
        await resolver.resolve(
          '${func.kubectlGet(pods,-n,stock-trader,-l,app=loyalty,-o=jsonpath=${snippet.t()})}',
        )
      ).value,
    ).toBe('loyalty-1 loyalty-2');
  });

  it('gets several named objects as a List, and TYPE/NAME pairs', async () => {
    const list = (args: string) =>
      kubectl(args).then(({ output }) =>
        (JSON.parse(output) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name),
      );
    expect(await list('pods,loyalty-1,loyalty-2,-n,stock-trader,-o,json')).toEqual([
      'loyalty-1',
      'loyalty-2',
    ]);
    expect(await list('pod/loyalty-1,pod/loyalty-2,-n,stock-trader,-o,json')).toEqual([
      'loyalty-1',
      'loyalty-2',
    ]);
  });

  it('defaults to the kappnav namespace, lists across namespaces with -A, and ignores namespaces of cluster-scoped types', async () => {
    expect((await kubectl('pods,-o,name')).output).toBe('pod/kappnav-1234-x7k2p\n');
    expect((await kubectl('pods,-A,-l,app=loyalty,-o,name')).output).toBe(
      'pod/loyalty-1\npod/loyalty-2\npod/loyalty-3\n',
    );
    expect((await kubectl('pods,--all-namespaces=true,-l,app=loyalty,-o,name')).output).toBe(
      'pod/loyalty-1\npod/loyalty-2\npod/loyalty-3\n',
    );
    const { output, calls } = await kubectl('nodes,node-1,-n,stock-trader,-o,name');
    expect(output).toBe('node/node-1\n');
    expect(calls).toEqual(['get nodes */node-1']);
  });

  it.each([
    ['pods,-w,-o,json', 'the flag -w is not supported'],
    ['pods,--field-selector=a=b,-o,json', 'the flag --field-selector=a=b is not supported'],
    ['pods,-n', 'the flag -n needs a value'],
    [
      'pods,-n,stock-trader',
      "kubectl's table output is not supported; use -o json, -o yaml, -o name or -o jsonpath=<template>",
    ],
    [
      'pods,-o,wide',
      'the output format "wide" is not supported; use -o json, -o yaml, -o name or -o jsonpath=<template>',
    ],
    [
      'pods,-o,custom-columns=NAME:.metadata.name',
      'the output format "custom-columns=NAME:.metadata.name" is not supported; use -o json, -o yaml, -o name or -o jsonpath=<template>',
    ],
    ['-o,json', 'no resource type was given'],
    ['pods,services,-o,json', 'pods "services" not found'],
    ['pods~2Cservices,-o,json', 'several resource types at once are not supported'],
    ['pod/a,service/b,-o,json', 'TYPE/NAME arguments must all name objects of one resource type'],
    ['pods,a,-l,x=y,-o,json', 'a label selector cannot be combined with resource names'],
    ['pods,a,-A,-o,json', 'a resource cannot be retrieved by name across all namespaces'],
    ['widgets,-o,json', 'the server doesn\'t have a resource type "widgets"'],
    ['pods,nosuch,-n,stock-trader,-o,json', 'pods "nosuch" not found'],
  ])('kubectlGet(%s) is refused: %s', async (args, reason) => {
    const { output } = await kubectl(args);
    expect(output).toMatch(/^error: Kubectl get \[.*\] can not be resolved: /);
    expect(output.slice(output.indexOf('can not be resolved: ') + 'can not be resolved: '.length)).toBe(
      reason,
    );
  });
});

describe('a jsonpath template from user input (issue 15, finding 8)', () => {
  // A name on which a backtracking regex takes time exponential in its length.
  const name = `${'a'.repeat(30)}-b`;
  const objects = [
    ...clusterObjects(),
    object('v1', 'Pod', 'stock-trader', name, { labels: { app: 'loyalty' } }),
  ];

  it.each([
    '{.items[?(@.metadata.name.match(/^(a+)+$/))].metadata.name}',
    '{.items[?(/^(a+)+$/.test(@.metadata.name))].metadata.name}',
  ])('%s is refused as a pattern error after bounded work', async (template) => {
    const { resolver } = resolverFor(loyalty, { objects, userInput: { t: template } });
    const cost = await measureWork(() =>
      resolver.resolve('${func.kubectlGet(pods,-n,stock-trader,-o,jsonpath=${input.t})}'),
    );
    expect(cost.maxEventLoopDelayMs).toBeLessThan(1000);
    expect(cost.result).toBeInstanceOf(PatternError);
    expect((cost.result as PatternError).code).toBe('kubectl-get-failed');
    expect((cost.result as PatternError).message).toMatch(/can not be resolved: .*jsonpath/);
  });
});

describe('parseKubectlGetArgs', () => {
  it('reads the Job-logs example', () => {
    expect(
      parseKubectlGetArgs(['pods', '-l', 'job-name=j', '-n', 'ns', '-o=jsonpath={.items[*].metadata.name}']),
    ).toEqual({
      ok: true,
      request: {
        type: 'pods',
        names: [],
        single: false,
        namespace: 'ns',
        allNamespaces: false,
        labelSelector: 'job-name=j',
        output: { format: 'jsonpath', template: '{.items[*].metadata.name}' },
      },
    });
  });
});

describe('renderJsonPathTemplate', () => {
  const doc = { items: [{ metadata: { name: 'a', labels: { x: '1' } } }, { metadata: { name: 'b' } }] };

  it('evaluates actions between literal text, prints non-strings as JSON, and prints nothing for missing paths', () => {
    expect(renderJsonPathTemplate('names: {.items[*].metadata.name}{"\\n"}', doc)).toBe('names: a b\n');
    expect(renderJsonPathTemplate('{.items[0].metadata.labels}', doc)).toBe('{"x":"1"}');
    expect(renderJsonPathTemplate('[{.nothing}]', doc)).toBe('[]');
    expect(renderJsonPathTemplate('{$.items[1].metadata.name}', doc)).toBe('b');
  });

  it('runs range loops as kubectl does, and refuses what kubectl would not parse', () => {
    expect(renderJsonPathTemplate('{range .items[*]}{.metadata.name};{end}', doc)).toBe('a;b;');
    expect(() => renderJsonPathTemplate('{.items', doc)).toThrow(
      'error parsing jsonpath {.items, unclosed action',
    );
  });
});
