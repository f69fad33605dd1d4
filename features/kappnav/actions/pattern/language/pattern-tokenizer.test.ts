import { describe, expect, it } from 'vitest';
import { tokenizeCall } from './call-tokenizer.ts';
import { PatternError } from './pattern-error.ts';
import { checkToken, decodeLiteral, tokenizePattern, type PatternToken } from './pattern-tokenizer.ts';

const LIT = (value: string): PatternToken => ({ pattern: false, value });
const PAT = (value: string): PatternToken => ({ pattern: true, value });

/** Runs the pre-check of every token as resolution does; the error, if any. */
function precheck(pattern: string): PatternError | undefined {
  try {
    for (const token of tokenizePattern(pattern)) checkToken(token, pattern);
    return undefined;
  } catch (error) {
    return error as PatternError;
  }
}

describe('PatternTokenizer truth table (kappnav-prism.md §7.4)', () => {
  it.each([
    [
      'http://${resource.$.metadata.name}/x',
      [LIT('http://'), PAT('resource.$.metadata.name'), LIT('/x')],
      true,
    ],
    ['${a}${b}', [PAT('a'), PAT('b')], true],
    ['${a.${b.c}}d', [PAT('a.${b.c}'), LIT('d')], true],
    ['${abc', [LIT('${abc')], false],
    ['abc${', [LIT('abc'), LIT('${')], false],
    ['x}y', [LIT('x}y')], false],
    ['a$b', [LIT('a$b')], false],
    ['echo {}', [LIT('echo {}')], false],
    ['pre${a${b}', [LIT('pre'), LIT('${a${b}')], true],
    ['${a}}', [PAT('a'), LIT('}')], false],
    ['$${a}', [LIT('$'), PAT('a')], false],
    ['${x}{y}', [PAT('x'), LIT('{y}')], false],
    ['${snippet.f(a, b)}', [PAT('snippet.f(a, b)')], false],
    ['${noprefix}', [PAT('noprefix')], true],
    ['p~24~7Bq', [LIT('p~24~7Bq')], true],
    ['', [], true],
  ])('%j → %j, pre-check passes: %s', (pattern, tokens, passes) => {
    expect(tokenizePattern(pattern)).toEqual(tokens);
    const error = precheck(pattern);
    if (passes) expect(error).toBeUndefined();
    else {
      expect(error).toBeInstanceOf(PatternError);
      expect(error?.message).toBe(`${pattern} is not a pattern.`);
      expect(error?.code).toBe('not-a-pattern');
    }
  });

  it('names the rejected token', () => {
    expect(precheck('ok ${a.b} a$b')?.token).toBe(' a$b');
    expect(precheck('${snippet.f(a, b)}')?.token).toBe('${snippet.f(a, b)}');
  });

  it.each([
    ['p~24~7Bq', 'p${q'],
    ['a~41b', 'aAb'],
    ['q~~41', 'q~A'],
    ['http://h/~user', 'http://h/~user'],
    ['a~4', 'a~4'],
    ['~2C~20~7E~7d', ', ~}'],
    ['~zz~', '~zz~'],
  ])('decodes the literal %j as %j', (literal, decoded) => {
    expect(decodeLiteral(literal)).toBe(decoded);
  });

  it('lets literal text with spaces but without $ { } through', () => {
    expect(precheck('sh -c echo hello ${resource.$.a}')).toBeUndefined();
  });
});

describe('FunctionOrSnippetTokenizer truth table (kappnav-prism.md §7.4)', () => {
  it.each([
    ['podlist()', 'podlist', []],
    ['podlist( a , b )', 'podlist', ['a', 'b']],
    ['f(a,)', 'f', ['a', '']],
    ['f(,b)', 'f', ['', 'b']],
    ['f(a,,b)', 'f', ['a', '', 'b']],
    ['f(${x.y},${z.f(a,b)})', 'f', ['${x.y}', '${z.f(a,b)}']],
    ['f(a,${b)', 'f', ['a', '${b']],
    ['f(a~2Cb)', 'f', ['a~2Cb']],
    [
      'kubectlGet(Route,${resource.$.metadata.name},-o,json)',
      'kubectlGet',
      ['Route', '${resource.$.metadata.name}', '-o', 'json'],
    ],
  ])('%s → %s %j', (text, name, parameters) => {
    expect(tokenizeCall(text)).toEqual({ name, parameters });
  });

  it.each(['f', 'f(a)b', '(a)', 'f(${a},b', ''])('%j has no name', (text) => {
    expect(tokenizeCall(text)).toBeUndefined();
  });
});
