import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Requirement } from './requirement.ts';
import { formatSelector, parseSelector, SelectorSyntaxError } from './selector-string.ts';

describe('parseSelector', () => {
  it('reads every operator of the grammar', () => {
    expect(parseSelector('a=b,a2==b2,c!=d,e in (x,y),f notin (z),g,!h')).toEqual<Requirement[]>([
      { key: 'a', operator: 'Equals', values: ['b'] },
      { key: 'a2', operator: 'Equals', values: ['b2'] },
      { key: 'c', operator: 'NotEquals', values: ['d'] },
      { key: 'e', operator: 'In', values: ['x', 'y'] },
      { key: 'f', operator: 'NotIn', values: ['z'] },
      { key: 'g', operator: 'Exists', values: [] },
      { key: 'h', operator: 'DoesNotExist', values: [] },
    ]);
  });

  it('allows white space around tokens and no space before parentheses', () => {
    expect(parseSelector('  app in(a , b) ,  ! tier , env = prod ')).toEqual<Requirement[]>([
      { key: 'app', operator: 'In', values: ['a', 'b'] },
      { key: 'tier', operator: 'DoesNotExist', values: [] },
      { key: 'env', operator: 'Equals', values: ['prod'] },
    ]);
  });

  it('reads prefixed keys, empty values and keys named like operators', () => {
    expect(parseSelector('app.kubernetes.io/name=x,a=,in in (in)')).toEqual<Requirement[]>([
      { key: 'app.kubernetes.io/name', operator: 'Equals', values: ['x'] },
      { key: 'a', operator: 'Equals', values: [''] },
      { key: 'in', operator: 'In', values: ['in'] },
    ]);
  });

  it('has no requirements for an empty or blank selector', () => {
    expect(parseSelector('')).toEqual([]);
    expect(parseSelector('   ')).toEqual([]);
  });

  it.each([
    ['a in (x', 'expected "," or ")" in the values of "a in" but the selector ends'],
    ['a in ()', '"a in" needs at least one value in its parentheses'],
    ['a in x', 'expected "(" after "a in" but found "x" at position 5'],
    ['a,', 'expected a requirement after the "," but found "," at position 1'],
    [',a', 'expected a label key but found "," at position 0'],
    [
      'a b',
      'expected an operator (=, ==, !=, in, notin), "," or the end after "a" but found "b" at position 2',
    ],
    ['a=b=c', 'expected "," or the end but found "=" at position 3'],
    ['!a=b', 'expected "," or the end but found "=" at position 2'],
    ['!', 'expected a label key after "!" but the selector ends'],
    ['a>1', 'the operator ">" after "a" is not supported'],
    ['-a=b', 'label key "-a" is invalid'],
    ['Example.com/a=b', 'the prefix "Example.com" of label key "Example.com/a" is not a DNS subdomain'],
    ['a=-b', 'label value "-b" is invalid'],
    [`a=${'x'.repeat(64)}`, 'is invalid: a value has at most 63'],
  ])('rejects %j, naming the problem', (text, detail) => {
    let thrown: unknown;
    try {
      parseSelector(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SelectorSyntaxError);
    expect((thrown as Error).message).toContain(`invalid label selector ${JSON.stringify(text)}: `);
    expect((thrown as Error).message).toContain(detail);
  });
});

describe('formatSelector', () => {
  it('writes each operator as kubectl does', () => {
    const text = 'a=b,c!=d,e in (x,y),f notin (z),g,!h';
    expect(formatSelector(parseSelector(text))).toBe(text);
    expect(formatSelector(parseSelector('a==b'))).toBe('a=b');
  });

  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?$/);
  const requirement: fc.Arbitrary<Requirement> = fc.oneof(
    fc.record({
      key: name,
      operator: fc.constantFrom('Equals' as const, 'NotEquals' as const),
      values: fc.tuple(fc.oneof(name, fc.constant(''))),
    }),
    fc.record({
      key: name,
      operator: fc.constantFrom('In' as const, 'NotIn' as const),
      values: fc.array(name, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      key: name,
      operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
      values: fc.constant([]),
    }),
  );

  it('reads back to the same requirements', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 6 }), (requirements) => {
        expect(parseSelector(formatSelector(requirements))).toEqual(requirements);
      }),
    );
  });
});
