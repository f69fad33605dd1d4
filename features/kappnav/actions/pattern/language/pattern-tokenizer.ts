/**
 * `PatternTokenizer` (kappnav-prism.md §3.6(a)–(c), truth table §7.4): splits a pattern into literal text
 * and top-level `${…}` tokens, checks each token, and decodes `~HH` escapes in literals.
 */
import { scanNesting } from './nesting-scanner.ts';
import { patternErrors } from './pattern-error.ts';

export interface PatternToken {
  /** True for a `${…}` token; `value` is then the text between `${` and its `}`. */
  pattern: boolean;
  value: string;
}

export function tokenizePattern(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  const last = text.length - 1;
  let mark = 0;
  scanNesting(text, (i, event, depth) => {
    if (event === 'open') {
      if (depth === 1 && i > mark) {
        tokens.push({ pattern: false, value: text.slice(mark, i) });
        mark = i;
      }
    } else if (event === 'close' && depth === 0) {
      tokens.push({ pattern: true, value: text.slice(mark + 2, i) });
      mark = i + 1;
    } else if (i === last) {
      // Text still open at the end (an unterminated `${`) stays literal.
      tokens.push({ pattern: false, value: text.slice(mark) });
    }
  });
  return tokens;
}

/** The token as written: patterns wrapped in `${…}` again. */
export function tokenText(token: PatternToken): string {
  return token.pattern ? `\${${token.value}}` : token.value;
}

/**
 * §3.6(b): a token that contains any of `$`, `{`, `}` must contain all three and no space; otherwise the
 * whole pattern is rejected. Literal `$`, `{`, `}` and spaces inside `${…}` therefore need `~HH` escapes.
 */
export function checkToken(token: PatternToken, pattern: string): void {
  const text = tokenText(token);
  const special = ['$', '{', '}'].filter((c) => text.includes(c)).length;
  if (special > 0 && (special < 3 || text.includes(' ')))
    throw patternErrors.notAPattern(pattern).withToken(text);
}

/** §3.6(c): `~HH` (two hex digits) is that character; any other `~` stays as written. */
export function decodeLiteral(value: string): string {
  return value.replace(/~([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
