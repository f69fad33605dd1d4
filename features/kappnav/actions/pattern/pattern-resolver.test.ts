import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { configMap } from '../../../../test/support/kappnav/in-memory-config-maps.ts';
import { loadManifests } from '../../../../test/support/kappnav/shipped-manifests.ts';
import { mergeActionMaps, type ActionMap } from '../action-map.ts';
import {
  BUILTIN,
  commandJob,
  loyalty,
  object,
  resolverFactory,
  type ResolverSetup,
} from '../../../../test/support/kappnav/resolution-fixture.ts';
import { PatternError, type PatternErrorCode } from './language/pattern-error.ts';

const sandbox = new ScriptSandbox({ workers: 2, timeoutMs: 2000 });
afterAll(() => sandbox.close());
const resolverFor = resolverFactory(sandbox);

/** The value of a fully resolved pattern. */
async function value(pattern: string, setup: ResolverSetup = {}, resource = loyalty) {
  const resolved = await resolverFor(resource, setup).resolver.resolve(pattern);
  expect(resolved.fullyResolved).toBe(true);
  return resolved.value;
}

/** The PatternError a pattern fails with. */
async function failure(pattern: string, setup: ResolverSetup = {}, resource = loyalty) {
  const error = await resolverFor(resource, setup)
    .resolver.resolve(pattern)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(PatternError);
  return error as PatternError;
}

const snippets = (entries: Record<string, string>): ActionMap => ({ snippets: entries });

describe('worked examples (kappnav-prism.md §3.6(g))', () => {
  it('loyalty: a Route host through kubectlGet and a snippet', async () => {
    const loyaltyMap = configMap('stock-trader', 'stock-trader.actions.deployment-liberty.loyalty-level', {
      'url-actions': `[{
        "name": "home", "text": "View Home Page",
        "url-pattern": "http://\${snippet.get_route_host(\${func.kubectlGet(Route,\${resource.$.metadata.name},-n,\${resource.$.metadata.namespace},-o,json)})}",
        "open-window": "tab"
      }]`,
      snippets: `{
        "get_route_host": "function getRouteHost(route)
          {
            var routeJSON = JSON.parse(route);
            return routeJSON.spec.host;
          }"
      }`,
    });
    const { map } = mergeActionMaps([{ name: 'm', namespace: 'stock-trader', configMap: loyaltyMap }]);
    const pattern = map['url-actions']![0]!['url-pattern'] as string;
    expect(await value(pattern, { actionMap: map })).toBe('http://loyalty.apps.example.com');
  });

  it("deployment: the console URL of the Deployment's current ReplicaSet", async () => {
    expect(
      await value(
        '${builtin.openshift-admin-console-url}/k8s/ns/${resource.$.metadata.namespace}/replicasets/${func.replicaset()}',
      ),
    ).toBe('https://admin.example.com/k8s/ns/stock-trader/replicasets/loyalty-level-7c9a');
  });

  it('job logs: a variable whose kubectlGet template comes from a snippet result with { and }', async () => {
    const jobMap = loadManifests('actions-job.yaml')[0]!;
    const { map } = mergeActionMaps([
      { name: 'kappnav.actions.job', namespace: 'kappnav', configMap: jobMap },
    ]);
    const logs = map['url-actions']!.find((action) => action.name === 'joblogs')!;
    expect(await value('${var.podname}', { actionMap: map }, commandJob)).toBe('kappnav-1234-x7k2p');
    expect(await value(logs['url-pattern'] as string, { actionMap: map }, commandJob)).toBe(
      'https://console.example.com/k8s/ns/kappnav/pods/kappnav-1234-x7k2p/logs',
    );
  });
});

describe('resolution', () => {
  it('resolves resource fields, literals with ~HH escapes, and keeps literal text with spaces', async () => {
    expect(await value("x ${resource.$.metadata.annotations['kappnav.subkind']}~20~24~7B~7D~2C~7E")).toBe(
      'x Liberty ${},~',
    );
    expect(await value('${resource.$.kind}/${resource.$.apiVersion}')).toBe('Deployment/apps/v1');
    expect(await value('')).toBe('');
  });

  it('adds the kind a live object lacks, from the kind the request names', async () => {
    expect(await value('${resource.$.kind}', { kind: 'Pod' }, { metadata: { name: 'p' } })).toBe('Pod');
    expect(await value('${resource.$.kind}', { kind: 'Pod' })).toBe('Deployment');
  });

  it('passes a token without a prefix through verbatim and reports it', async () => {
    expect(
      await resolverFor(loyalty).resolver.resolve('a ${noprefix} b ${resource.$.metadata.name}'),
    ).toEqual({
      value: 'a ${noprefix} b loyalty-level',
      fullyResolved: false,
      unresolvedTokens: ['${noprefix}'],
    });
  });

  it('reads builtin and global maps of the kappnav namespace', async () => {
    const links = configMap('kappnav', 'links', { docs: 'https://docs.example.com' });
    expect(
      await value('${builtin.openshift-console-url}|${global.links#docs}', { configMaps: [BUILTIN, links] }),
    ).toBe('https://console.example.com|https://docs.example.com');
  });

  it('gives snippets their parameters as decoded strings', async () => {
    const actionMap = snippets({ join: 'function join(a, b, c) { return [a, b, typeof c].join("|"); }' });
    expect(
      await value('${snippet.join(a~2Cb,~24~7Bx~7D,${resource.$.spec.selector.matchLabels.app})}', {
        actionMap,
      }),
    ).toBe('a,b|${x}|string');
  });

  it('reads validated user input', async () => {
    expect(await value('--level=${input.level}', { userInput: { level: 'debug' } })).toBe('--level=debug');
  });
});

describe('variables', () => {
  it('resolves a variable once per context and caches it', async () => {
    const { resolver, resources } = resolverFor(loyalty, {
      actionMap: { variables: { pods: '${func.podlist()}' } },
    });
    expect((await resolver.resolve('${var.pods}${var.pods}')).value).toBe(
      '{"pods":["loyalty-1","loyalty-2"]}{"pods":["loyalty-1","loyalty-2"]}',
    );
    expect(resources.calls.filter((call) => call.startsWith('list pods'))).toHaveLength(1);
  });

  it('resolves variables that use variables', async () => {
    const actionMap = { variables: { a: '${var.b}-a', b: '${resource.$.metadata.name}' } };
    expect(await value('${var.a}', { actionMap })).toBe('loyalty-level-a');
  });

  it('uses the default for any failure: no map, a missing entry, an error, an unresolved pattern, a cycle', async () => {
    const actionMap = {
      variables: { broken: '${resource.$.missing}', partial: '${noprefix}', loop: '${var.loop}' },
    };
    expect(await value('${var.x,default.fallback}')).toBe('fallback');
    expect(await value('${var.x,default.fallback}', { actionMap })).toBe('fallback'); // QUIRK fix
    expect(await value('${var.broken,default.a.b}', { actionMap })).toBe('a.b');
    expect(await value('${var.partial,plain}', { actionMap })).toBe('plain');
    expect(await value('${var.loop,default.no-loop}', { actionMap })).toBe('no-loop');
  });

  it('detects cycles', async () => {
    const actionMap = { variables: { a: 'x${var.b}', b: 'y${var.c}', c: '${var.a}' } };
    const error = await failure('${var.a}', { actionMap });
    expect(error.message).toBe('a contains cycles in variable definitions.');
    expect(error.code).toBe('variable-cycle');
  });

  it('does not take a variable that failed earlier for a cycle', async () => {
    const actionMap = { variables: { broken: '${resource.$.missing}' } };
    const error = await failure('${var.broken,default.d}${var.broken}', { actionMap });
    expect(error.message).toBe('cannot resolve $.missing');
  });

  it.each([
    ['${var.x}', undefined, 'can not resolve x'],
    ['${var.x}', { variables: { y: 'y' } }, 'variables x is not found.'],
    ['${var.partial}', { variables: { partial: 'a${noprefix}' } }, 'can not resolve partial'],
  ])('%s with %j fails: %s', async (pattern, actionMap, message) => {
    expect((await failure(pattern, { actionMap })).message).toBe(message);
  });
});

describe('snippets in the sandbox', () => {
  it('stops a snippet that runs past its time budget', async () => {
    const actionMap = snippets({ spin: 'function spin() { for (;;) {} }' });
    const started = Date.now();
    const error = await failure('${snippet.spin()}', { actionMap, snippetTimeoutMs: 200 });
    expect(error.message).toBe('problem invoking snippet for function=spin, Reason=timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('takes the function name from the snippet text, whatever the snippet is called', async () => {
    const actionMap = snippets({
      my_snippet: '/* helper */ function  camelCase (x) { return x.toUpperCase(); }',
    });
    expect(await value('${snippet.my_snippet(abc)}', { actionMap })).toBe('ABC');
  });
});

describe('every pattern error (kappnav-prism.md §3.6)', () => {
  const snippetMap = snippets({
    none: 'function none() {}',
    boom: 'function boom() { throw new Error("boom"); }',
    text: '42',
  });

  it.each([
    ['a$b ${resource.$.kind}', {}, 'a$b ${resource.$.kind} is not a pattern.', 'not-a-pattern', 'a$b '],
    ['${snippet.f(a, b)}', {}, '${snippet.f(a, b)} is not a pattern.', 'not-a-pattern', '${snippet.f(a, b)}'],
    ['x${secret.s#k}', {}, 'can not find the resolver for x${secret.s#k}', 'no-resolver', '${secret.s#k}'],
    ['${a.${b.c}}', {}, 'can not find the resolver for ${a.${b.c}}', 'no-resolver', '${a.${b.c}}'],
    ['${resource.$.metadata.missing}', {}, 'cannot resolve $.metadata.missing', 'unresolved', undefined],
    ['${resource.$.metadata}', {}, 'cannot resolve $.metadata', 'unresolved', undefined],
    [
      '${resource.metadata.name}',
      {},
      'Cannot resolve resource metadata.name',
      'invalid-resource-path',
      undefined,
    ],
    [
      '${builtin.kibana-url}',
      {},
      'cannot get ConfigMap data for kibana-url',
      'config-map-key-missing',
      undefined,
    ],
    ['${builtin.kibana-url}', { configMaps: [] }, 'cannot resolve kibana-url', 'unresolved', undefined],
    ['${global.links#docs}', {}, 'cannot resolve links#docs', 'unresolved', undefined],
    [
      '${global.builtin}',
      {},
      "cannot resolve builtin because syntax is incorrect: expected '#' not found.",
      'global-syntax',
      undefined,
    ],
    [
      '${func.nosuch()}',
      {},
      'can not resolve nosuch() because no matching function found in the map',
      'no-matching-function',
      undefined,
    ],
    [
      '${func.podlist(a)}',
      {},
      'can not resolve podlist(a) because no matching function found in the map',
      'no-matching-function',
      undefined,
    ],
    [
      '${func.kubectlGet()}',
      {},
      'can not resolve kubectlGet() because no matching function found in the map',
      'no-matching-function',
      undefined,
    ],
    [
      '${func.podlist}',
      {},
      'can not resolve podlist because function name is null',
      'function-name-missing',
      undefined,
    ],
    ['${func.podlist(${x},b)}', {}, 'cannot resolve podlist(${x},b)', 'unresolved', undefined],
    [
      '${snippet.none}',
      { actionMap: snippetMap },
      'can not resolve snippet because snippet name is null.',
      'snippet-name-missing',
      undefined,
    ],
    [
      '${snippet.nosuch()}',
      { actionMap: snippetMap },
      'snippets nosuch is not found.',
      'snippet-not-in-snippets',
      undefined,
    ],
    [
      '${snippet.nosuch()}',
      {},
      'snippet nosuch is not found in the action config map.',
      'snippet-not-found',
      undefined,
    ],
    [
      '${snippet.none(${x})}',
      { actionMap: snippetMap },
      'one or more of the script parameters can not be resolved.',
      'snippet-parameters-unresolved',
      undefined,
    ],
    [
      '${snippet.text()}',
      { actionMap: snippetMap },
      'no function found in the snippet 42',
      'snippet-without-function',
      undefined,
    ],
    [
      '${snippet.none()}',
      { actionMap: snippetMap },
      'cannot invoke snippet none',
      'snippet-no-result',
      undefined,
    ],
    [
      '${snippet.boom()}',
      { actionMap: snippetMap },
      'problem invoking snippet for function=boom, Reason=boom',
      'snippet-failed',
      undefined,
    ],
    ['${input.level}', {}, 'cannot resolve level', 'unresolved', undefined],
    [
      '${func.kubectlGet(pods,-w)}',
      {},
      'Kubectl get [pods, -w] can not be resolved: the flag -w is not supported',
      'kubectl-get-failed',
      undefined,
    ],
  ] satisfies [string, ResolverSetup, string, PatternErrorCode, string | undefined][])(
    '%s fails with "%s"',
    async (pattern, setup, message, code, token) => {
      const error = await failure(pattern, setup);
      expect(error.message).toBe(message);
      expect(error.code).toBe(code);
      expect(error.token).toBe(token ?? pattern);
    },
  );

  it('names the innermost token that failed', async () => {
    const actionMap = snippets({ id: 'function id(x) { return x; }' });
    const error = await failure('${snippet.id(${resource.$.nope})}', { actionMap });
    expect(error.message).toBe('cannot resolve $.nope');
    expect(error.token).toBe('${resource.$.nope}');
  });

  it('reports a function whose context resource is of the wrong kind', async () => {
    const service = object('v1', 'Service', 'stock-trader', 'loyalty-level');
    expect((await failure('${func.podlist()}', {}, service)).message).toBe('cannot resolve podlist()');
  });
});
