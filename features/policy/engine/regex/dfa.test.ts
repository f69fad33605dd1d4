import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { buildDfa } from './dfa.ts';
import { parseRegex } from './syntax.ts';

function automaton(source: string) {
  const parsed = parseRegex(source);
  return parsed && buildDfa(parsed);
}

function re2(source: string): RE2JS | undefined {
  try {
    return RE2JS.compile(source);
  } catch {
    return undefined;
  }
}

const ATOMS = [
  'a',
  'b',
  '-',
  ' ',
  'é',
  '😀',
  '.',
  '\\.',
  '\\$',
  '\\\\',
  '\\n',
  '\\t',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\S',
  '[ab]',
  '[^a]',
  '[a-c]',
  '[^\\n]',
  '[-a]',
  '[a-]',
  '[]a]',
  '[^]a]',
  '[\\d_]',
  '[^\\s]',
  '[.$^]',
  '[é-😀]',
];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '{2,}', '*?', '+?', '??', '{0,1}?'];

/** A sequence of quantified atoms, the atoms drawn from `atoms`; alternatives of up to three of them. */
function alternation(atoms: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const piece = fc
    .tuple(atoms, fc.constantFrom(...QUANTIFIERS))
    .map(([atom, quantifier]) => atom + quantifier);
  const sequence = fc.array(piece, { maxLength: 3 }).map((pieces) => pieces.join(''));
  return fc.array(sequence, { minLength: 1, maxLength: 3 }).map((items) => items.join('|'));
}

/** Patterns from the syntax the parser reads, with the corners RE2 reads its own way mixed in: groups nest twice. */
const atom = fc.constantFrom(...ATOMS);
const group = (inner: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('(', '(?:'), inner).map(([open, body]) => `${open}${body})`);
const innerGroup = group(alternation(atom));
const outerGroup = group(alternation(fc.oneof(atom, innerGroup)));
const patterns = alternation(fc.oneof({ weight: 3, arbitrary: atom }, innerGroup, outerGroup));

const anchoredPatterns = fc
  .tuple(fc.boolean(), patterns, fc.boolean())
  .map(([start, body, end]) => `${start ? '^' : ''}${body}${end ? '$' : ''}`);

/** Texts over the characters the patterns name, plus a newline, a surrogate pair and a lone surrogate. */
const texts = fc
  .array(
    fc.constantFrom('a', 'b', 'c', '-', ' ', '.', '$', '0', '_', '\n', '\t', 'é', 'ü', '😀', '\ud800', ']'),
    {
      maxLength: 10,
    },
  )
  .map((chars) => chars.join(''));

describe('the pattern automaton', () => {
  it('answers as RE2 does, for every pattern it takes', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(anchoredPatterns, fc.array(texts, { minLength: 20, maxLength: 20 }), (source, samples) => {
        const reference = re2(source);
        if (!reference) return;
        runs++;
        const dfa = automaton(source);
        if (!dfa) return;
        taken++;
        for (const text of samples)
          expect([source, text, dfa.test(text)]).toEqual([source, text, reference.test(text)]);
      }),
      { numRuns: 2_000 },
    );
    // Not vacuous: the automaton takes about half the generated patterns; it declines most of the rest
    // because they are alternations with anchors (`^a|b`), which bind to one alternative only.
    expect(taken / runs).toBeGreaterThan(0.35);
  });

  it('binds ^ and $ as RE2 does, and leaves to RE2 what it does not read', () => {
    expect(automaton('^a|b')).toBeUndefined(); // (^a)|b
    expect(automaton('a|b$')).toBeUndefined();
    expect(automaton('^(a|b)$')?.test('b')).toBe(true);
    expect(automaton('a\\$')?.test('xa$')).toBe(true); // an escaped $ is a literal
    expect(automaton('a\\\\$')?.test('a\\')).toBe(true); // an escaped backslash, then the anchor
    expect(automaton('a\\\\$')?.test('a\\x')).toBe(false);
    for (const source of [
      '(?i)a',
      '\\bword\\b',
      '\\pL+',
      '[[:alpha:]]',
      'a{,3}',
      'a}',
      'x^y',
      'a$b',
      '(?P<n>a)',
      '\\x41',
      'a**',
    ])
      expect(automaton(source), source).toBeUndefined();
  });

  it('matches each code point once, a surrogate pair as one', () => {
    expect(automaton('^.$')?.test('😀')).toBe(true);
    expect(automaton('^..$')?.test('😀')).toBe(false);
    expect(automaton('^.$')?.test('\n')).toBe(false);
    expect(automaton('^[^a]$')?.test('\n')).toBe(true);
  });

  it('stays linear where a backtracking engine explodes', () => {
    const dfa = automaton('^(a|a)*(a+)+$');
    expect(dfa?.test(`${'a'.repeat(100_000)}!`)).toBe(false);
    expect(dfa?.test('a'.repeat(100_000))).toBe(true);
  });

  it('declines patterns whose automaton would be large, which stay with RE2', () => {
    // Unanchored, "b twenty characters after an a" needs a state per combination of the last 21.
    expect(automaton('a.{20}b')).toBeUndefined();
    expect(automaton('^a.{20}b')?.test(`a${'x'.repeat(20)}b`)).toBe(true);
  });
});
