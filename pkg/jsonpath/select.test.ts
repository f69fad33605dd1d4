import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { holds } from './filter-expression.ts';
import { parseJsonPath } from './parse.ts';
import { rootNode, type JsonPath, type PathNode } from './path.ts';
import { select } from './select.ts';
import { JsonPathLimitExceeded, WorkMeter } from './work-meter.ts';

function parsed(text: string, allowRelative = false): JsonPath {
  const result = parseJsonPath(text, { allowRelative });
  if (!result.ok) throw new Error(result.problem);
  return result.path;
}

const keys = (nodes: PathNode[]) => nodes.map((n) => n.steps.map((s) => s.key));
const values = (nodes: PathNode[]) => nodes.map((n) => n.value);

const object = {
  metadata: { name: 'x', labels: { 'vimana.host/domain': 'd' } },
  spec: {
    aliases: ['a.example.com', 'b.example.com'],
    versionWeights: { '1.0.0': 1, v1: 2 },
    containers: [
      { name: 'app', image: 'app:1' },
      { name: 'side', image: 'side:1' },
    ],
  },
};

describe('select', () => {
  const root = rootNode(object);

  it('reads a plain path, and answers an absent node where nothing is', () => {
    expect(select(parsed('$.metadata.name'), root)).toMatchObject([{ value: 'x', present: true }]);
    const [absent] = select(parsed('$.spec.id'), root);
    expect(absent).toMatchObject({ present: false, value: undefined });
    expect(absent?.steps.map((s) => s.key)).toEqual(['spec', 'id']);
    expect(values(select(parsed("$.metadata.labels['vimana.host/domain']"), root))).toEqual(['d']);
  });

  it('selects wildcards, keys, filters, slices, unions and descendants', () => {
    const entries = select(parsed('$.spec.aliases[*]'), root);
    expect(keys(entries)).toEqual([
      ['spec', 'aliases', 0],
      ['spec', 'aliases', 1],
    ]);
    expect(entries[1]?.container).toBe(object.spec.aliases);
    const weightKeys = select(parsed('$.spec.versionWeights.*~'), root);
    expect(values(weightKeys)).toEqual(['1.0.0', 'v1']);
    expect(weightKeys[0]?.steps.at(-1)).toEqual({ key: '1.0.0', named: false });
    expect(weightKeys[0]?.container).toBeUndefined();
    expect(values(select(parsed("$.spec.containers[?(@.name == 'side')].image"), root))).toEqual(['side:1']);
    expect(values(select(parsed('$.spec.versionWeights[?(@ > 1)]'), root))).toEqual([2]);
    expect(values(select(parsed('$..image'), root))).toEqual(['app:1', 'side:1']);
    expect(values(select(parsed('$.spec.aliases[-1:]'), root))).toEqual(['b.example.com']);
    expect(values(select(parsed('$.spec.aliases[1,0,5]'), root))).toEqual(['b.example.com', 'a.example.com']);
  });

  it('names steps as the path did, and by their look once `..` has lost the alignment', () => {
    const [image] = select(parsed('$.spec.containers[*].image'), root);
    expect(image?.steps).toEqual([
      { key: 'spec', named: true },
      { key: 'containers', named: true },
      { key: 0, named: false },
      { key: 'image', named: true },
    ]);
    const [weight] = select(parsed('$..versionWeights.*'), root);
    expect(weight?.steps).toEqual([
      { key: 'spec', named: true },
      { key: 'versionWeights', named: true },
      { key: '1.0.0', named: false },
    ]);
  });

  it('evaluates relative paths from a subject and keeps its steps', () => {
    const [subject] = select(parsed('$.spec.containers[1]'), root);
    const [image] = select(parsed('@.image', true), subject!);
    expect(image).toMatchObject({ value: 'side:1' });
    expect(image?.steps.map((s) => s.key)).toEqual(['spec', 'containers', 1, 'image']);
    const [wild] = select(parsed('@.*', true), subject!);
    expect(wild?.steps.map((s) => s.key)).toEqual(['spec', 'containers', 1, 'name']);
  });

  it('walks an object nested far deeper than the stack would allow recursion', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 50_000; i++) deep = { a: deep };
    const found = select(
      parsed('$..a'),
      rootNode(deep),
      new WorkMeter({ steps: 1_000_000, results: 100_000 }),
    );
    expect(found).toHaveLength(50_000);
    expect(found.at(-1)?.value).toBe('bottom');
  });
});

describe('bounds', () => {
  function nested(levels: number): unknown {
    let value: unknown = 'x';
    for (let i = 0; i < levels; i++) value = { a: value, b: 1 };
    return value;
  }

  it('stops a path that would select too much with the results limit, naming the path', () => {
    expect(() =>
      select(
        parsed('$..*..*..*..*'),
        rootNode(nested(60)),
        new WorkMeter({ steps: 10_000_000, results: 1000 }),
      ),
    ).toThrow(new JsonPathLimitExceeded('results', 1000, '$..*..*..*..*'));
  });

  it('stops a path that would walk too much with the steps limit, shared by every path on the meter', () => {
    const meter = new WorkMeter({ steps: 20_000, results: 1_000_000 });
    expect(() => select(parsed('$..*..*..*..*'), rootNode(nested(60)), meter)).toThrow(
      'JSONPath $..*..*..*..* needs more than 20000 steps over this object',
    );
    expect(meter.spent).toBeLessThan(20_000 + 5000);
    expect(() => select(parsed('$.*'), rootNode(nested(3)), meter)).toThrow(JsonPathLimitExceeded);
  });

  it('calls the checkpoint as it goes, so a caller can stop it on time', () => {
    let checkpoints = 0;
    const meter = new WorkMeter({ steps: 1_000_000, results: 1_000_000 }, () => {
      checkpoints += 1;
      if (checkpoints === 3) throw new Error('out of time');
    });
    expect(() => select(parsed('$..*..*'), rootNode(nested(200)), meter)).toThrow('out of time');
    expect(meter.spent).toBeLessThan(4 * 4096 + 100);
  });

  it('charges filters for what they read', () => {
    const meter = new WorkMeter();
    select(parsed("$.spec.containers[?(@.name == 'x' || @.image == 'y')]"), rootNode(object), meter);
    const plainMeter = new WorkMeter();
    select(parsed('$.spec.containers[*]'), rootNode(object), plainMeter);
    expect(meter.spent).toBeGreaterThan(plainMeter.spent);
  });
});

/**
 * The evaluator against jsonpath-plus, which served policy paths before it (a development dependency
 * now, for this test only): over generated objects and paths of the whole policy grammar, both select the
 * same values at the same steps, in the same order. Strings are left out of the objects: jsonpath-plus
 * indexes into them (`$.s[0]` of "x" is "x") and reads `length` of lists, which prismgate never did; and
 * `~` after an index or union, where jsonpath-plus answers the position as text ("1").
 */
describe('the same selection as jsonpath-plus (property)', () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, 0, 1, 2, true, false),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  const document = fc.dictionary(fc.constantFrom('a', 'b', 'c'), json, { maxKeys: 3 });
  const segment = fc.constantFrom(
    '.a',
    '.b',
    "['c']",
    '[0]',
    '[1]',
    '[*]',
    '.*',
    '..a',
    '..*',
    '..[0]',
    '[0:2]',
    '[1:]',
    '[-1:]',
    '[:-1]',
    '[::2]',
    '[0,1]',
    '[?(@.a)]',
    '[?(@.a == 1)]',
    '[?(@ > 0 && @ != 2)]',
    '[?(!(@.b == true) || @.c == null)]',
  );
  const path = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([segments, keysOf]) => {
      const last = segments.at(-1) ?? '';
      const keyable = !/\[\d[\d,]*\]$/.test(last);
      return `$${segments.join('')}${keysOf && keyable ? '~' : ''}`;
    });

  function viaLibrary(text: string, value: object) {
    const parsedPath = parsed(text);
    const filters = new Map(
      parsedPath.segments.flatMap((s) => (s.type === 'filter' ? [[s.source, s.expression] as const] : [])),
    );
    const results = JSONPath({
      path: text,
      json: value,
      resultType: 'all',
      wrap: true,
      eval: (code: string, context: { _$_v?: unknown }) =>
        holds(filters.get(code.replaceAll('_$_v', '@'))!, context._$_v, new WorkMeter()),
    }) as { pointer: string; value: unknown }[] | undefined;
    return (results ?? []).map((entry) => {
      let container: unknown = value;
      const steps = entry.pointer === '' ? [] : entry.pointer.slice(1).split('/');
      return {
        value: entry.value,
        keys: steps.map((raw) => {
          const key = Array.isArray(container) ? Number(raw) : raw;
          container = (container as Record<string | number, unknown> | undefined)?.[key];
          return key;
        }),
      };
    });
  }

  it('selects what jsonpath-plus selects', () => {
    fc.assert(
      fc.property(document, path, (value, text) => {
        const ours = select(parsed(text), rootNode(value)).filter((n) => n.present);
        const theirs = viaLibrary(text, value);
        expect(values(ours)).toEqual(theirs.map((t) => t.value));
        expect(keys(ours)).toEqual(theirs.map((t) => t.keys));
      }),
      { numRuns: 2000 },
    );
  });
});
