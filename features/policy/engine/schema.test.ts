import { describe, expect, it } from 'vitest';
import { rootNode } from '../../../pkg/jsonpath/path.ts';
import { renderPath } from './message.ts';
import { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';
import { compilePattern, MAX_PATTERNS_PER_POLICY, PatternAllowance } from './pattern.ts';
import { compileSchema } from './schema.ts';

function failures(schema: unknown, value: unknown) {
  const compiled = compileSchema(schema);
  if (!compiled.ok) throw new Error(compiled.problem);
  return compiled.schema
    .validate(rootNode(value))
    .map((f) => `${renderPath(f.node.steps)} ${JSON.stringify(f.node.value)}: ${f.error}`);
}

describe('compileSchema', () => {
  const schema = {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
          aliases: { type: 'array', items: { type: 'string', maxLength: 5 } },
        },
      },
    },
  };

  it('reports each failure at the field it is about', () => {
    expect(failures(schema, { spec: { id: 'ABC', aliases: ['ok', 'toolong'] } })).toEqual([
      'spec.id "ABC": must match pattern "^[0-9a-f]{32}$"',
      'spec.aliases[1] "toolong": must NOT have more than 5 characters',
    ]);
    expect(failures(schema, { spec: {} })).toEqual(['spec.id undefined: is required']);
    expect(failures(schema, { spec: { id: '3f2a9c1e7b5d40a8912e6c0d4b7a1f35' } })).toEqual([]);
  });

  it('runs patterns with RE2, so catastrophic ones stay linear', () => {
    const started = performance.now();
    expect(failures({ type: 'string', pattern: '^(a+)+$' }, `${'a'.repeat(100_000)}!`)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('runs each pattern of a schema as itself, not as the first one compiled', () => {
    const twoPatterns = {
      type: 'object',
      properties: { a: { type: 'string', pattern: '^a$' }, b: { type: 'string', pattern: '^b$' } },
    };
    expect(failures(twoPatterns, { a: 'a', b: 'b' })).toEqual([]);
    expect(failures(twoPatterns, { a: 'b', b: 'a' })).toEqual([
      'a "b": must match pattern "^a$"',
      'b "a": must match pattern "^b$"',
    ]);
  });

  it("counts its patterns against the policy's allowance, and their matching on the meter", () => {
    const allowance = new PatternAllowance();
    for (let i = 0; i < MAX_PATTERNS_PER_POLICY; i++) compilePattern(`^x${i}$`, allowance);
    expect(compileSchema({ type: 'string', pattern: '^a$' }, allowance)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('is one pattern too many'),
    });
    const compiled = compileSchema({ type: 'string', pattern: '^(a|b)*c$' });
    if (!compiled.ok) throw new Error(compiled.problem);
    const meter = new WorkMeter();
    compiled.schema.validate(rootNode('ab'.repeat(5000)), meter);
    expect(meter.spent).toBeGreaterThan(0);
  });

  it('refuses broken schemas, backtracking patterns, uniqueItems and outside references', () => {
    expect(compileSchema({ type: 'strnig' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('is not a valid JSON Schema'),
    });
    expect(compileSchema({ propertiez: {} })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('unknown keyword'),
    });
    expect(compileSchema({ pattern: '(a)\\1' })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('RE2'),
    });
    expect(compileSchema({ items: { uniqueItems: true } })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('Distinct'),
    });
    expect(compileSchema({ $ref: 'https://example.com/s.json' })).toMatchObject({ ok: false });
    // Twenty-two levels of anyOf over two references to the level below: 2^22 evaluations of one object.
    const defs: Record<string, unknown> = { d0: { type: 'number' } };
    for (let i = 1; i <= 22; i++)
      defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    expect(compileSchema({ $defs: defs, $ref: '#/$defs/d22' })).toEqual({
      ok: false,
      problem: expect.stringContaining("uses $ref: a policy's schema is written out in full"),
    });
    expect(compileSchema('x')).toMatchObject({ ok: false });
  });
});
