import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonPath, rootNode, select, type JsonPath, type PathNode } from './jsonpath.ts';

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

describe('parseJsonPath', () => {
  it('accepts the supported grammar', () => {
    for (const text of [
      '$',
      '$.spec.id',
      '$.spec.aliases[*]',
      '$.spec.aliases[0]',
      '$.spec.versionWeights.*~',
      "$.metadata.labels['vimana.host/domain']",
      '$..image',
      '$..[0]',
      '$.spec.containers[?(@.name == "app")].image',
      "$.spec.containers[?(@.name != 'app' && !(@.image == 'x'))]",
      '$.spec.aliases[0:1]',
      '$.spec.aliases[-1:]',
      '$.spec.aliases[0,1]',
    ]) {
      expect(parseJsonPath(text), text).toMatchObject({ ok: true });
    }
    expect(parseJsonPath('@.noneBut', { allowRelative: true })).toMatchObject({ ok: true });
  });

  it('rejects what does not parse, with the position', () => {
    expect(parseJsonPath('$.spec[')).toEqual({
      ok: false,
      problem: 'is not a JSONPath: expected ] at character 8',
    });
    expect(parseJsonPath('spec.id')).toEqual({ ok: false, problem: 'must start with $' });
    expect(parseJsonPath('@.x')).toEqual({ ok: false, problem: 'must start with $' });
    expect(parseJsonPath('$.spec..')).toMatchObject({ ok: false });
    expect(parseJsonPath('$.a~.b')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('~ must end'),
    });
    expect(parseJsonPath('$.a[-1]')).toMatchObject({ ok: false, problem: expect.stringContaining('[-1:]') });
    expect(parseJsonPath("$['a','b']")).toMatchObject({
      ok: false,
      problem: expect.stringContaining('unions'),
    });
    expect(parseJsonPath('$.a[(@.length-1)]')).toMatchObject({ ok: false });
    expect(parseJsonPath('$.a^')).toMatchObject({ ok: false });
  });

  it('rejects filters outside the safe grammar: calls, regex literals, assignments', () => {
    for (const text of [
      '$.a[?(@.name.match(/(a+)+$/))]',
      '$.a[?(@.x = 1)]',
      '$.a[?(@property == 1)]',
      "$.a[?(@.x == '(y)')]",
    ]) {
      expect(parseJsonPath(text), text).toMatchObject({ ok: false });
    }
  });
});

describe('select', () => {
  const root = rootNode(object);

  it('reads a plain path, and answers an absent node where nothing is', () => {
    expect(select(parsed('$.metadata.name'), root)).toMatchObject([{ value: 'x', present: true }]);
    const [absent] = select(parsed('$.spec.id'), root);
    expect(absent).toMatchObject({ present: false, value: undefined });
    expect(absent?.steps.map((s) => s.key)).toEqual(['spec', 'id']);
    expect(values(select(parsed("$.metadata.labels['vimana.host/domain']"), root))).toEqual(['d']);
  });

  it('selects wildcards, keys, filters and descendants through jsonpath-plus', () => {
    const entries = select(parsed('$.spec.aliases[*]'), root);
    expect(keys(entries)).toEqual([
      ['spec', 'aliases', 0],
      ['spec', 'aliases', 1],
    ]);
    expect(entries[1]?.container).toBe(object.spec.aliases);
    const weightKeys = select(parsed('$.spec.versionWeights.*~'), root);
    expect(values(weightKeys)).toEqual(['1.0.0', 'v1']);
    expect(weightKeys[0]?.steps.at(-1)).toEqual({ key: '1.0.0', named: false });
    expect(values(select(parsed("$.spec.containers[?(@.name == 'side')].image"), root))).toEqual(['side:1']);
    expect(values(select(parsed('$..image'), root))).toEqual(['app:1', 'side:1']);
  });

  it('evaluates relative paths from a subject and keeps its steps', () => {
    const [subject] = select(parsed('$.spec.containers[1]'), root);
    const [image] = select(parsed('@.image', true), subject!);
    expect(image).toMatchObject({ value: 'side:1' });
    expect(image?.steps.map((s) => s.key)).toEqual(['spec', 'containers', 1, 'image']);
  });

  // Strings are left out: jsonpath-plus indexes into them (`$.s[0]` of "x" is "x"), which no JSON reading
  // does and the direct reader does not.
  it('reads plain and simple paths exactly as jsonpath-plus does (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, 1, true),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const plainPath = fc
      .array(fc.oneof(fc.constantFrom('.a', '.b', '.c'), fc.constantFrom('[0]', '[1]', '[2]')), {
        maxLength: 4,
      })
      .map((steps) => `$${steps.join('')}`);
    const simplePath = fc
      .tuple(fc.array(fc.constantFrom('.a', '.b', '[0]', '[1]', '[*]', '.*'), { maxLength: 4 }), fc.boolean())
      .map(([steps, keys]) => `$${steps.join('')}${keys && steps.length > 0 ? '~' : ''}`);
    const document = fc.dictionary(fc.constantFrom('a', 'b', 'c'), json, { maxKeys: 3 });
    fc.assert(
      fc.property(document, plainPath, (value, text) => {
        const path = parsed(text);
        const direct = select(path, rootNode(value)).filter((n) => n.present);
        const viaLibrary = select({ ...path, plain: false, simple: false }, rootNode(value));
        expect(values(direct)).toEqual(values(viaLibrary));
        expect(keys(direct)).toEqual(keys(viaLibrary));
      }),
    );
    fc.assert(
      fc.property(document, simplePath, (value, text) => {
        const path = parsed(text);
        const direct = select(path, rootNode(value)).filter((n) => n.present);
        const viaLibrary = select({ ...path, plain: false, simple: false }, rootNode(value));
        expect(values(direct)).toEqual(values(viaLibrary));
        expect(keys(direct)).toEqual(keys(viaLibrary));
      }),
    );
  });
});
