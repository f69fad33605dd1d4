/**
 * Fuzzing the action resources (action maps, action resolutions, command executions, commands, mapping
 * previews) and the seed's action routes through the request pipeline over the in-memory stock-trader
 * cluster: patterns of the §3.6 language assembled from its own pieces (unbalanced, nested, escaped,
 * every resolver, snippets and variables that loop), random specs and bodies, random paths. Properties:
 * answered within a bound, never 5xx, a failure is a metav1.Status (the seed's routes keep their 207),
 * and a resolved action is a string.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import { startActionApi } from '../../../../test/support/prism/action-fixture.ts';
import { DEVELOPER, type Fixture } from '../../../../test/support/aggregated-api/pipeline-fixture.ts';

const ROOT = '/apis/prism.kappnav.io/v1';
/** Snippets run in the sandbox with a 1 s budget; anything past three is a hang. */
const ANSWER_BOUND_MS = 3000;

const sandbox = new ScriptSandbox({ workers: 1 });
let api: Fixture;

beforeAll(async () => {
  ({ api } = await startActionApi(sandbox));
});
afterAll(async () => {
  await api.app.close();
  await sandbox.close();
});

interface Answer {
  statusCode: number;
  ms: number;
  body: string;
}

async function send(method: string, url: string, payload?: string, contentType = 'application/json') {
  const begun = performance.now();
  const res = await api.app.inject({
    method: method as 'GET',
    url,
    headers: { ...DEVELOPER, 'content-type': contentType },
    ...(payload === undefined ? {} : { payload }),
  });
  return { statusCode: res.statusCode, ms: performance.now() - begun, body: res.body } satisfies Answer;
}

function expectWellFormed(answer: Answer, seedRoute = false): void {
  expect(answer.ms).toBeLessThan(ANSWER_BOUND_MS);
  expect(answer.statusCode, answer.body.slice(0, 300)).toBeLessThan(500);
  if (answer.statusCode >= 400 && !seedRoute)
    expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', status: 'Failure' });
}

// --- generators ----------------------------------------------------------------------------------

/** Pieces of the pattern language, so that random patterns reach past the tokenizer into the resolvers. */
const PATTERN_PIECE = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('${', '}', '(', ')', ',', '~', '~7B', '~7D', '~2C', '~zz', '$', '{'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'resource.$.metadata.name',
      'resource.$.spec.template..containers[*].image',
      'resource.$[',
      'resource.',
      'builtin.kappnav-url',
      'builtin.nothing',
      'global.route-host',
      'func.podlist(',
      'func.apppodlist(',
      'func.replicaset(',
      'func.kubectlGet(Route,trader,-n,shop,-o,json)',
      'func.kubectlGet(pods,-o,wide)',
      'func.unknown(',
      'snippet.host(',
      'snippet.check(',
      'snippet.missing(',
      'input.spec',
      'var.a',
      'var.',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const PATTERN = fc.oneof(
  fc.array(PATTERN_PIECE, { maxLength: 24 }).map((pieces) => pieces.join('')),
  // Deep nesting: the resolver recurses once per level.
  fc.nat(400).map((n) => `${'${func.podlist('.repeat(n)}x${')}'.repeat(n)}`),
  fc.nat(2000).map((n) => '~'.repeat(n)),
);
/** Mostly well-formed, so that most requests get past validation into the resolvers and the runner. */
const RESOURCE_REF = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constant({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'trader' }),
  },
  fc.constant({
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    namespace: 'shop',
    name: 'stock-trader',
  }),
  fc.record(
    {
      apiVersion: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('v1')),
      kind: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('Service', 'Pod', 'Route')),
      namespace: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('shop')),
      name: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('trader')),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const VARIABLES = fc.dictionary(
  fc.constantFrom('a', 'b', 'c'),
  fc.oneof(PATTERN, fc.constantFrom('${var.a}', '${var.b}', '${var.c}')),
);
/** A well-formed value most of the time, anything JSON otherwise. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const RESOLUTION = fc.record(
  {
    resource: RESOURCE_REF,
    pattern: mostly(PATTERN),
    input: mostly(fc.dictionary(fc.constantFrom('spec', 'x'), fc.string({ maxLength: 20 }))),
    variables: mostly(VARIABLES),
  },
  { requiredKeys: ['resource', 'pattern'] },
);
const EXECUTION = fc.record(
  {
    application: mostly(fc.constantFrom('stock-trader', 'ghost')),
    component: fc.oneof(RESOURCE_REF, fc.constant(undefined)),
    action: mostly(fc.constantFrom('pi', 'broken', 'trace', 'ghost')),
    input: mostly(
      fc.record({ spec: fc.oneof(fc.constantFrom('a=b', 'nope', ''), fc.string({ maxLength: 30 })) }),
    ),
  },
  { requiredKeys: ['application', 'action'] },
);
const PREVIEW = fc.record(
  {
    resource: RESOURCE_REF,
    configMaps: fc.oneof(
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    mappings: fc.oneof(
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: [] },
);

const envelope = (kind: string, spec: unknown) =>
  JSON.stringify({ apiVersion: 'prism.kappnav.io/v1', kind, metadata: { generateName: 'f-' }, spec });

describe('fuzzing the action resources', () => {
  it('resolves any pattern, or refuses it as a Status, in time', async () => {
    await fc.assert(
      fc.asyncProperty(RESOLUTION, async (spec) => {
        const answer = await send('POST', `${ROOT}/actionresolutions`, envelope('ActionResolution', spec));
        expectWellFormed(answer);
        if (answer.statusCode === 201) expect(typeof JSON.parse(answer.body).status.action).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('runs, or refuses with a Status, any command execution', async () => {
    await fc.assert(
      fc.asyncProperty(EXECUTION, fc.boolean(), async (spec, dryRun) => {
        const url = `${ROOT}/namespaces/shop/commandexecutions${dryRun ? '?dryRun=All' : ''}`;
        expectWellFormed(await send('POST', url, envelope('CommandExecution', spec)));
      }),
      { numRuns: 150 },
    );
  });

  it('previews any mapping, or refuses it with a Status', async () => {
    await fc.assert(
      fc.asyncProperty(PREVIEW, async (spec) => {
        expectWellFormed(await send('POST', `${ROOT}/mappingpreviews`, envelope('MappingPreview', spec)));
      }),
      { numRuns: 150 },
    );
  });

  it('answers any body, content type, method and path of the action resources with a Status', async () => {
    const resources = ['actionmaps', 'actionresolutions', 'commandexecutions', 'commands', 'mappingpreviews'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.option(fc.constantFrom('shop', 'kappnav', 'x'.repeat(63))),
        fc.constantFrom(...resources),
        fc.option(
          fc.oneof(fc.constantFrom('deployment.apps:trader', 'pi-abcde'), fc.string({ maxLength: 12 })),
        ),
        fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 64 })),
        fc.constantFrom('application/json', 'application/yaml', 'text/plain', 'application/merge-patch+json'),
        async (method, namespace, resource, name, payload, contentType) => {
          const path = [ROOT, ...(namespace ? ['namespaces', namespace] : []), resource]
            .concat(name ? [encodeURIComponent(name)] : [])
            .join('/');
          expectWellFormed(await send(method, path, method === 'GET' ? undefined : payload, contentType));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("answers the seed's action routes with random patterns, bodies and paths, in time and never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'GET /resource/trader/Deployment?namespace=shop&apiVersion=apps/v1&action-pattern=',
          'GET /resource/ghost/Nothing?namespace=shop&action-pattern=',
          'POST /resource/stock-trader/trader/Deployment/execute/command/trace?namespace=shop&x=',
          'POST /resource/stock-trader/execute/command/pi?namespace=shop&x=',
          'GET /resource/commands?user=',
          'GET /resource/command-time?time=',
          'DELETE /resource/command/nope?x=',
          'GET /kindactionmapping/Deployment?apiVersion=',
          'GET /kindactionmapping/resources/trader/Deployment?namespace=',
        ),
        PATTERN,
        fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 64 })),
        async (route, query, payload) => {
          const [method, path] = route.split(' ') as [string, string];
          const url = `${ROOT}/kappnav/api${path}${encodeURIComponent(query)}`;
          expectWellFormed(await send(method, url, method === 'POST' ? payload : undefined), true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
