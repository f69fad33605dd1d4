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

  it('reads what Kubernetes reads: empty value sets, comparisons, each value once and sorted', () => {
    expect(parseSelector('a in (),b notin (),c>3,d<07,e in (y,x,y),f in (,x),g in (x,,)')).toEqual<
      Requirement[]
    >([
      { key: 'a', operator: 'In', values: [''] },
      { key: 'b', operator: 'NotIn', values: [''] },
      { key: 'c', operator: 'GreaterThan', values: ['3'] },
      { key: 'd', operator: 'LessThan', values: ['07'] },
      { key: 'e', operator: 'In', values: ['x', 'y'] },
      { key: 'f', operator: 'In', values: ['', 'x'] },
      { key: 'g', operator: 'In', values: ['', 'x'] },
    ]);
  });

  it('has no requirements for an empty or blank selector', () => {
    expect(parseSelector('')).toEqual([]);
    expect(parseSelector('   ')).toEqual([]);
  });

  // Messages as kube-apiserver (apimachinery's labels.Parse) words them, checked against it by the
  // conformance suite (test/e2e/conformance-reads.e2e.test.ts).
  it.each([
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    [
      'a>1.5',
      `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      '-a=b',
      `unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      'a=-b',
      `unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    ['a>-1', 'unable to parse requirement: values[0][a]: Invalid value: "-1": a valid label must be'],
    ['a=b,c in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['Example.com/a=b', '<nil>: Invalid value: "Example.com/a": prefix part a lowercase RFC 1123 subdomain'],
    [`a=${'x'.repeat(64)}`, 'Invalid value: "' + 'x'.repeat(64) + '": must be no more than 63 bytes'],
  ])('rejects %j as Kubernetes does', (text, message) => {
    let thrown: unknown;
    try {
      parseSelector(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SelectorSyntaxError);
    expect((thrown as Error).message).toContain(message);
  });
});

describe('formatSelector', () => {
  it('writes each operator as kubectl does', () => {
    const text = 'a=b,c!=d,e in (x,y),f notin (z),g,!h,n>3,n<5';
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
      // A value set is read back sorted, each value once.
      values: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }).map((values) => values.sort()),
    }),
    fc.record({
      key: name,
      operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
      values: fc.constant([]),
    }),
    fc.record({
      key: name,
      operator: fc.constantFrom('GreaterThan' as const, 'LessThan' as const),
      values: fc.tuple(fc.integer({ min: 0 }).map(String)),
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
