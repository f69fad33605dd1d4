import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { DEFAULT_KAPPNAV_CONFIG } from '../model/config.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { ComponentStatusEngine, evaluateStatusMap } from './component-status.ts';
import type { StatusOutcome } from './kappnav-status.ts';
import { DesignNameStatusMapLocator } from '../kam/status-map-locator.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import type { StatusMap } from './status-map.ts';
import { readStatusMap } from './status-map.ts';
import { TEST_TYPES } from '../../../test/support/kappnav/status-fixtures.ts';

const sandbox = new ScriptSandbox({ workers: 2, timeoutMs: 500 });
afterAll(() => sandbox.close());
const options = { sandbox, config: { statusUnknown: 'Unknown' } };

function configMap(data: Record<string, unknown>, name = 'kappnav.status-mapping.widget'): ConfigMap {
  return { metadata: { name, namespace: 'kappnav' }, data };
}

function mapOf(data: Record<string, unknown>): StatusMap {
  const read = readStatusMap(configMap(data));
  if (!('map' in read)) throw new Error(read.problem);
  return read.map;
}

const widget = (status?: unknown): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'default' },
  ...(status === undefined ? {} : { status }),
});

describe('readStatusMap', () => {
  it.each<[Record<string, unknown>, string]>([
    [{}, 'has none of exists, jsonpath, algorithm'],
    [
      { exists: '{ value: Normal }', colour: 'x' },
      'has the unknown key "colour" (expected exists, jsonpath or algorithm)',
    ],
    [{ exists: '{ value: ' }, 'has invalid JSON in exists (unexpected end of input at position 9)'],
    [{ exists: '"Normal"' }, 'has an exists that is not an object'],
    [{ jsonpath: '[]' }, 'has a jsonpath that is not an object'],
    [
      { jsonpath: '{ expresion: ".phase" }' },
      'has the unknown jsonpath key "expresion" (expected expression, matches, else)',
    ],
    [{ jsonpath: '{ matches: {} }' }, 'has a jsonpath without an expression'],
    [{ jsonpath: '{ expression: ".phase", matches: [] }' }, 'has jsonpath matches that are not an object'],
    [
      { jsonpath: '{ "expression": "{.phase}" }' },
      `has the unsupported jsonpath expression "{.phase}"; the design's {.x} form is not supported, write ".phase"`,
    ],
    [
      { jsonpath: '{ "expression": ".conditions[0].type" }' },
      `has the unsupported jsonpath expression ".conditions[0].type", expected a path such as .phase or $['phase']`,
    ],
    [
      { jsonpath: '{ "expression": "$" }' },
      `has the unsupported jsonpath expression "$", expected a path such as .phase or $['phase']`,
    ],
    [{ algorithm: '  ' }, 'has an empty algorithm'],
  ])('refuses %j: %s', (data, problem) => {
    expect(readStatusMap(configMap(data))).toEqual({
      source: 'kappnav/kappnav.status-mapping.widget',
      problem,
    });
  });

  it('takes the first of exists, jsonpath, algorithm', () => {
    expect(mapOf({ algorithm: 'function getStatus() {}', exists: '{ value: Normal }' }).rule).toBe('exists');
    expect(mapOf({ algorithm: 'function getStatus() {}', jsonpath: '{ expression: ".a" }' }).rule).toBe(
      'jsonpath',
    );
  });

  it('prepends the $ kAppNav prepends', () => {
    expect(mapOf({ jsonpath: '{ expression: ".phase" }' })).toMatchObject({
      expression: '$.phase',
      steps: ['phase'],
    });
    expect(mapOf({ jsonpath: `{ expression: "$['a'].b" }` })).toMatchObject({
      expression: "$['a'].b",
      steps: ['a', 'b'],
    });
  });
});

describe('evaluateStatusMap', () => {
  it('exists: the status object, whatever the resource says', async () => {
    const map = mapOf({ exists: '{ value: Normal, flyover: "Widget exists.", extra: 1 }' });
    expect(await evaluateStatusMap(map, widget(), options)).toEqual({
      status: { value: 'Normal', flyover: 'Widget exists.' },
    });
  });

  it('exists without a value: Unknown, and the map is at fault', async () => {
    const map = mapOf({ exists: '{ flyover: "no value" }' });
    expect(await evaluateStatusMap(map, widget(), options)).toEqual({
      status: {
        value: 'Unknown',
        flyover:
          'The status mapping kappnav/kappnav.status-mapping.widget gives under exists {"flyover":"no value"}, which is not a status with a value.',
      },
      problem:
        'status mapping kappnav/kappnav.status-mapping.widget gives under exists {"flyover":"no value"}, which is not a status with a value',
    });
  });

  describe('jsonpath', () => {
    const map = mapOf({
      jsonpath: `{
        expression: ".health.state",
        matches: {
          Good: { value: Normal, flyover: "state is \${status}", "flyover.nls": ["widget.state", "\${status}", 3] },
          Bad: { value: Problem, flyover: "\${status}\${status}", "flyover.nls": "widget.\${status}" },
          Broken: { flyover: "no value" }
        },
        else: { value: Warning, flyover: "\${status} is unexpected" }
      }`,
    });

    it('looks the value up exactly and substitutes ${status} in flyover and flyover.nls', async () => {
      expect(await evaluateStatusMap(map, widget({ health: { state: 'Good' } }), options)).toEqual({
        status: { value: 'Normal', flyover: 'state is Good', 'flyover.nls': ['widget.state', 'Good', 3] },
      });
      expect(await evaluateStatusMap(map, widget({ health: { state: 'Bad' } }), options)).toEqual({
        status: { value: 'Problem', flyover: 'BadBad', 'flyover.nls': 'widget.Bad' },
      });
    });

    it('uses else for other values, case differences included', async () => {
      expect(await evaluateStatusMap(map, widget({ health: { state: 'good' } }), options)).toEqual({
        status: { value: 'Warning', flyover: 'good is unexpected' },
      });
    });

    it('reads numbers and booleans as text', async () => {
      expect((await evaluateStatusMap(map, widget({ health: { state: 7 } }), options)).status.flyover).toBe(
        '7 is unexpected',
      );
    });

    it('is Unknown without a value, and without a status at all (no else)', async () => {
      expect(await evaluateStatusMap(map, widget({ health: {} }), options)).toEqual({
        status: { value: 'Unknown', flyover: 'The status has no value at $.health.state.' },
      });
      expect(await evaluateStatusMap(map, widget({ health: { state: { nested: 1 } } }), options)).toEqual({
        status: { value: 'Unknown', flyover: 'The status has no value at $.health.state.' },
      });
      expect(await evaluateStatusMap(map, widget(), options)).toEqual({
        status: { value: 'Unknown', flyover: 'Widget reports no status yet.' },
      });
    });

    it('is Unknown for an unmapped value without else', async () => {
      const strict = mapOf({ jsonpath: '{ expression: ".state", matches: { A: { value: Normal } } }' });
      expect(await evaluateStatusMap(strict, widget({ state: 'B' }), options)).toEqual({
        status: { value: 'Unknown', flyover: '"B" at $.state is not a mapped value.' },
      });
    });

    it('reports a matched entry without a value as a fault of the map', async () => {
      const outcome = await evaluateStatusMap(map, widget({ health: { state: 'Broken' } }), options);
      expect(outcome.status.value).toBe('Unknown');
      expect(outcome.problem).toBe(
        'status mapping kappnav/kappnav.status-mapping.widget gives for "Broken" {"flyover":"no value"}, which is not a status with a value',
      );
    });
  });

  describe('algorithm', () => {
    const run = (script: string, status?: unknown) =>
      evaluateStatusMap(mapOf({ algorithm: script }), widget(status), { ...options, timeoutMs: 200 });

    it('calls getStatus with the status as JSON text and reads its answer as lenient JSON', async () => {
      expect(
        await run(
          'function getStatus(s) { var o = JSON.parse(s); return "{ value: " + o.v + ", flyover: \'v is " + o.v + "\' }"; }',
          { v: 'Warning' },
        ),
      ).toEqual({ status: { value: 'Warning', flyover: 'v is Warning' } });
      expect(
        await run(
          'function getStatus(s) { return { value: "Normal", flyover: "f", "flyover.nls": ["k", 1] }; }',
          {},
        ),
      ).toEqual({
        status: { value: 'Normal', flyover: 'f', 'flyover.nls': ['k', 1] },
      });
    });

    it('passes "" when the resource has no status', async () => {
      expect(
        (
          await run(
            'function getStatus(s) { return { value: s === "" ? "Unknown" : "Normal", flyover: typeof s }; }',
          )
        ).status,
      ).toEqual({
        value: 'Unknown',
        flyover: 'string',
      });
    });

    it.each<[string, string]>([
      ['function getStatus() { throw new Error("boom"); }', 'failed in its algorithm: boom'],
      ['function getStatus() { for (;;) {} }', 'failed in its algorithm: timed out after 200 ms'],
      ['function other() {}', 'failed in its algorithm: getStatus is not defined'],
      ['function getStatus() { return null; }', 'gave no status from its algorithm'],
      [
        'function getStatus() { return "Normal"; }',
        'gave from its algorithm "Normal", which is not a status with a value',
      ],
      [
        'function getStatus() { return "{ value: "; }',
        'gave from its algorithm "{ value: ", which is not a status with a value',
      ],
      [
        'function getStatus() { return { value: null }; }',
        'gave from its algorithm {"value":null}, which is not a status with a value',
      ],
      [
        'function getStatus() { return [1]; }',
        'gave from its algorithm [1], which is not a status with a value',
      ],
    ])('%s → Unknown, %s', async (script, detail) => {
      const outcome: StatusOutcome = await run(script, {});
      expect(outcome.status.value).toBe('Unknown');
      expect(outcome.status.flyover).toBe(
        `The status mapping kappnav/kappnav.status-mapping.widget ${detail}.`,
      );
      expect(outcome.problem).toBe(`status mapping kappnav/kappnav.status-mapping.widget ${detail}`);
    });

    it('shortens a long answer in the message', async () => {
      const outcome = await run(`function getStatus() { return "${'x'.repeat(200)}"; }`, {});
      expect(outcome.problem).toContain(`"${'x'.repeat(79)}…, which`);
    });
  });

  it('uses the configured unknown value', async () => {
    const map = mapOf({ jsonpath: '{ expression: ".a" }' });
    expect(
      (await evaluateStatusMap(map, widget({}), { sandbox, config: { statusUnknown: 'Grey' } })).status.value,
    ).toBe('Grey');
  });
});

describe('ComponentStatusEngine with the design-name locator', () => {
  const cluster = new MemoryCluster(TEST_TYPES, [
    { apiVersion: 'v1', kind: 'ConfigMap', ...configMap({ exists: '{ value: Warning, flyover: widget }' }) },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      ...configMap(
        { exists: '{ value: Normal, flyover: unregistered }' },
        'kappnav.status-mapping-unregistered',
      ),
    },
    { apiVersion: 'v1', kind: 'ConfigMap', ...configMap({ exists: '[' }, 'kappnav.status-mapping.gadget') },
  ]);
  const engine = new ComponentStatusEngine(new DesignNameStatusMapLocator(cluster), {
    sandbox,
    config: DEFAULT_KAPPNAV_CONFIG,
  });

  it('finds kappnav.status-mapping.<lower-case kind>, else the unregistered map', async () => {
    expect((await engine.statusOf(widget())).status).toEqual({ value: 'Warning', flyover: 'widget' });
    expect((await engine.statusOf({ ...widget(), kind: 'Gizmo' })).status).toEqual({
      value: 'Normal',
      flyover: 'unregistered',
    });
  });

  it('reports a broken map found by the locator', async () => {
    expect(await engine.statusOf({ ...widget(), kind: 'Gadget' })).toEqual({
      status: {
        value: 'Unknown',
        flyover:
          'The status mapping kappnav/kappnav.status-mapping.gadget has invalid JSON in exists (unexpected end of input at position 1).',
      },
      problem:
        'status mapping kappnav/kappnav.status-mapping.gadget has invalid JSON in exists (unexpected end of input at position 1)',
    });
  });

  it('is Unknown with a problem when no map applies at all', async () => {
    const bare = new ComponentStatusEngine(new DesignNameStatusMapLocator(new MemoryCluster(TEST_TYPES)), {
      sandbox,
      config: DEFAULT_KAPPNAV_CONFIG,
    });
    expect(await bare.statusOf(widget())).toEqual({
      status: { value: 'Unknown', flyover: 'No status mapping applies to Widget.' },
      problem: 'no status mapping applies to Widget, not even kappnav.status-mapping-unregistered',
    });
  });
});

describe('ComponentStatusEngine remembers algorithm outcomes', () => {
  const cluster = new MemoryCluster(TEST_TYPES, [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      ...configMap({
        algorithm: 'function getStatus(s) { return { value: JSON.parse(s).v, flyover: "f" }; }',
      }),
    },
  ]);
  const calls: string[][] = [];
  const counting = {
    call: (call: Parameters<typeof sandbox.call>[0]) => {
      calls.push(call.args);
      return sandbox.call(call);
    },
  };
  const engine = new ComponentStatusEngine(new DesignNameStatusMapLocator(cluster), {
    sandbox: counting,
    config: DEFAULT_KAPPNAV_CONFIG,
  });

  it('runs the script once per distinct status, however many resources report it', async () => {
    const values = await Promise.all(
      ['Normal', 'Warning', 'Normal', 'Normal', 'Warning'].map(
        async (v) => (await engine.statusOf(widget({ v }))).status.value,
      ),
    );
    expect(values).toEqual(['Normal', 'Warning', 'Normal', 'Normal', 'Warning']);
    expect(calls).toEqual([['{"v":"Normal"}'], ['{"v":"Warning"}']]);
  });
});
