/**
 * The `${…}` nesting walk shared by the pattern tokenizer and the function/snippet parameter tokenizer
 * (kappnav-prism.md §3.6(a)): `${` opens a level (only when a character follows the `$`), `}` closes one
 * while a level is open, and every other character is plain text. The `{` of an opening `${` is reported
 * as a plain character of its own, as the reference scans it.
 */

export type NestingEvent = 'open' | 'close' | 'char';

/** Calls `visit` for every index with what happens there and the depth after it. */
export function scanNesting(
  text: string,
  visit: (index: number, event: NestingEvent, depth: number) => void,
): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (i < text.length - 1 && text[i] === '$' && text[i + 1] === '{') visit(i, 'open', ++depth);
    else if (text[i] === '}' && depth > 0) visit(i, 'close', --depth);
    else visit(i, 'char', depth);
  }
}
