import { describe, expect, it } from 'vitest';
import { tokenizeCommandLine } from './command-line-tokenizer.ts';

describe('CommandLineTokenizer truth table (kappnav-prism.md §7.4)', () => {
  it.each([
    ['sh -c echo hello', ['sh', '-c', 'echo', 'hello']],
    ['sh -c "echo hello world"', ['sh', '-c', 'echo hello world']],
    ['a"b c"d', ['a', 'b c', 'd']],
    ['"unterminated x', ['unterminated x']],
    ['a "" b', ['a', 'b']],
    ['a\tb\t\tc', ['a', 'b', 'c']],
    ['  leading  and  trailing  ', ['leading', 'and', 'trailing']],
    ['', []],
  ])('%j → %j', (line, tokens) => {
    expect(tokenizeCommandLine(line)).toEqual(tokens);
  });
});

describe('patterns in a command line (issue 15, finding 2)', () => {
  it.each([
    ['echo ${input.msg}', ['echo', '${input.msg}']],
    ['echo pre${input.msg}post x', ['echo', 'pre${input.msg}post', 'x']],
    ['sh -c "echo ${input.a} ${input.b}"', ['sh', '-c', 'echo ${input.a} ${input.b}']],
    // Nothing inside ${…} separates or quotes, nested or not.
    ['run ${snippet.f(${input.a},"b c")}', ['run', '${snippet.f(${input.a},"b c")}']],
    [
      "x ${resource.$.metadata.annotations['a b']} y",
      ['x', "${resource.$.metadata.annotations['a b']}", 'y'],
    ],
    // An unterminated ${ runs to the end, as the pattern tokenizer reads it.
    ['echo ${input.a b', ['echo', '${input.a b']],
    // A } without ${ is plain text.
    ['a} b', ['a}', 'b']],
  ])('%j → %j', (line, tokens) => {
    expect(tokenizeCommandLine(line)).toEqual(tokens);
  });
});
