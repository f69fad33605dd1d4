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
