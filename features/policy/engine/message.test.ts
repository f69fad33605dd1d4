import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../../pkg/jsonpath/parse.ts';
import { rootNode, type PathNode } from '../../../pkg/jsonpath/path.ts';
import { select } from '../../../pkg/jsonpath/select.ts';
import { compileTemplate, renderPath } from './message.ts';

const object = {
  metadata: { name: 'foo-domain' },
  spec: { id: '00000000000000000000000000000001', versionWeights: { '1.0.0': -1 }, aliases: ['a', 'b'] },
};

function nodeAt(text: string): PathNode {
  const parsed = parseJsonPath(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return select(parsed.path, rootNode(object))[0]!;
}

function render(source: string, node: PathNode, facts?: Record<string, string>): string {
  const compiled = compileTemplate(source, facts ? Object.keys(facts) : []);
  if (!compiled.ok) throw new Error(compiled.problem);
  return compiled.template.render({ object, node, policy: 'p', rule: 'r', facts });
}

describe('renderPath', () => {
  it('renders paths as the Vimana rules do', () => {
    expect(renderPath(nodeAt('$.spec.aliases[1]').steps)).toBe('spec.aliases[1]');
    expect(renderPath(nodeAt('$.spec.versionWeights.*').steps)).toBe('spec.versionWeights["1.0.0"]');
    expect(renderPath(nodeAt("$.metadata['labels']").steps)).toBe('metadata.labels');
    expect(renderPath([{ key: 'vimana.host/domain', named: true }])).toBe('["vimana.host/domain"]');
    expect(renderPath([{ key: 'k'.repeat(60), named: false }])).toBe(`["${'k'.repeat(38)}…]`);
  });
});

describe('message templates', () => {
  it('fills path, value, object values, policy, rule and facts', () => {
    expect(
      render('{{ path }} {{ value }}: must be an integer (rule F12)', nodeAt('$.spec.versionWeights.*')),
    ).toBe('spec.versionWeights["1.0.0"] -1: must be an integer (rule F12)');
    expect(render('{{path}} {{value}}: is required', nodeAt('$.spec.vimana'))).toBe(
      'spec.vimana (absent): is required',
    );
    expect(
      render('{{ path }} {{ value }}: should equal spec.id {{ $.spec.id }}', nodeAt('$.metadata.name')),
    ).toBe('metadata.name "foo-domain": should equal spec.id "00000000000000000000000000000001"');
    expect(
      render('{{ policy }}/{{ rule }}: repeats {{ first }}', nodeAt('$.spec.aliases[1]'), {
        first: 'spec.aliases[0]',
      }),
    ).toBe('p/r: repeats spec.aliases[0]');
  });

  it('shortens values, never the text, to keep the message near 200 characters', () => {
    const long = { ...nodeAt('$.spec.id'), value: 'x'.repeat(500) };
    const message = render('{{ path }} {{ value }}: must be short', long);
    expect(message.length).toBe(200);
    expect(message).toMatch(/^spec\.id "x+…: must be short$/);
  });

  it('rejects unknown placeholders and broken JSONPaths', () => {
    expect(compileTemplate('{{ vlaue }}')).toEqual({
      ok: false,
      problem:
        '{{ vlaue }} is not a placeholder; use one of path, value, expectation, policy, rule, $.<path>',
    });
    expect(compileTemplate('{{ $.spec[ }}')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('is not a JSONPath'),
    });
  });
});
