/**
 * A parser for the part of RE2's syntax that policies mostly use — literals, classes, `.`, the Perl
 * classes, groups, alternation, repetition, and `^` / `$` around the whole pattern — read exactly as RE2
 * reads it with its default flags (case-sensitive, `.` not matching `\n`, negated classes matching it,
 * `^` and `$` at the ends of the text). Anything else (flags, Unicode classes, word boundaries,
 * anchors inside the pattern, POSIX classes, a `{` that is not a repeat…) is not parsed here: the caller
 * then leaves the pattern to re2js. So every tree this returns means what RE2 means by its source, a
 * claim the property test (dfa.test.ts) holds against re2js.
 *
 * Only call this with a source RE2 accepted: it does not explain errors, it just declines.
 */
import { complement, normalize, single, union, type CharSet } from './char-set.ts';

export type RegexNode =
  | { type: 'set'; set: CharSet }
  | { type: 'concat'; items: RegexNode[] }
  | { type: 'alternate'; items: RegexNode[] }
  /** max is Infinity when unbounded. Laziness (`*?`) does not change whether a text matches. */
  | { type: 'repeat'; node: RegexNode; min: number; max: number };

export interface ParsedRegex {
  /** The pattern starts with `^`: it matches at the start of the text only. */
  anchoredStart: boolean;
  /** The pattern ends with `$`: it matches at the end of the text only. */
  anchoredEnd: boolean;
  body: RegexNode;
}

class Unsupported extends Error {}

const DIGIT = normalize([0x30, 0x39]);
const WORD = normalize([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
/** RE2's \s is Perl's: tab, newline, form feed, carriage return, space (no vertical tab). */
const SPACE = normalize([0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20]);
const PERL_CLASSES: Record<string, CharSet> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
const DOT = complement(single(0x0a));
const QUANTIFIERS = new Set(['*', '+', '?', '{']);
/** Characters that are syntax outside a class; of these only `(`, `[`, `.` and `\` start an atom here. */
const SPECIAL = new Set(['^', '$', '|', '*', '+', '?', '{', '}', '(', ')', '[', ']', '.', '\\']);

function isPunctuation(char: string): boolean {
  return /^[!-/:-@[-`{-~]$/.test(char);
}

class Parser {
  private position = 0;
  private depth = 0;
  /** Whether the pattern is an alternation outside any group (`a|b`, not `(a|b)`). */
  topLevelAlternation = false;

  constructor(private readonly chars: readonly string[]) {}

  private peek(offset = 0): string | undefined {
    return this.chars[this.position + offset];
  }

  private take(): string {
    const char = this.chars[this.position++];
    if (char === undefined) throw new Unsupported();
    return char;
  }

  atEnd(): boolean {
    return this.position >= this.chars.length;
  }

  alternate(): RegexNode {
    const items = [this.concat()];
    while (this.peek() === '|') {
      this.position++;
      items.push(this.concat());
    }
    if (this.depth === 0 && items.length > 1) this.topLevelAlternation = true;
    return items.length === 1 ? items[0]! : { type: 'alternate', items };
  }

  private concat(): RegexNode {
    const items: RegexNode[] = [];
    while (!this.atEnd() && this.peek() !== '|' && this.peek() !== ')') items.push(this.repeat());
    return items.length === 1 ? items[0]! : { type: 'concat', items };
  }

  private repeat(): RegexNode {
    const node = this.atom();
    const char = this.peek();
    if (char === undefined || !QUANTIFIERS.has(char)) return node;
    this.position++;
    const [min, max] =
      char === '*' ? [0, Infinity] : char === '+' ? [1, Infinity] : char === '?' ? [0, 1] : this.counts();
    if (this.peek() === '?') this.position++;
    // RE2 refuses some double repetitions (`a**`) and reads others its own way; leave them all to it.
    const after = this.peek();
    if (after !== undefined && QUANTIFIERS.has(after)) throw new Unsupported();
    return { type: 'repeat', node, min, max };
  }

  /** `{n}`, `{n,}` or `{n,m}` after the `{`; RE2 reads other braces literally, which is left to it. */
  private counts(): [number, number] {
    const min = this.number();
    if (this.peek() === '}') {
      this.position++;
      return [min, min];
    }
    if (this.take() !== ',') throw new Unsupported();
    if (this.peek() === '}') {
      this.position++;
      return [min, Infinity];
    }
    const max = this.number();
    if (this.take() !== '}' || max < min) throw new Unsupported();
    return [min, max];
  }

  private number(): number {
    let digits = '';
    while (/^[0-9]$/.test(this.peek() ?? '')) digits += this.take();
    if (digits === '' || digits.length > 4) throw new Unsupported();
    return Number(digits);
  }

  private atom(): RegexNode {
    const char = this.take();
    if (char === '(') {
      if (this.peek() === '?') {
        // Only the non-capturing group; flags and named groups are left to RE2.
        this.position++;
        if (this.take() !== ':') throw new Unsupported();
      }
      this.depth++;
      const inner = this.alternate();
      this.depth--;
      if (this.take() !== ')') throw new Unsupported();
      return inner;
    }
    if (char === '[') return { type: 'set', set: this.charClass() };
    if (char === '.') return { type: 'set', set: DOT };
    if (char === '\\') return { type: 'set', set: this.escape() };
    if (SPECIAL.has(char)) throw new Unsupported();
    return { type: 'set', set: single(char.codePointAt(0)!) };
  }

  /** After a backslash: a Perl class, a control character or escaped punctuation. */
  private escape(): CharSet {
    const char = this.take();
    const perl = PERL_CLASSES[char];
    if (perl) return perl;
    const control = CONTROL_ESCAPES[char];
    if (control !== undefined) return single(control);
    if (isPunctuation(char)) return single(char.codePointAt(0)!);
    throw new Unsupported();
  }

  /** After `[`: up to and including the `]`. */
  private charClass(): CharSet {
    const negated = this.peek() === '^';
    if (negated) this.position++;
    const parts: CharSet[] = [];
    let first = true;
    for (;;) {
      const char = this.take();
      if (char === ']' && !first) break;
      const last = this.peek() === ']';
      if (char === '[') throw new Unsupported(); // POSIX classes ([:alpha:]) and nesting are RE2's.
      if (char === '-' && !first && !last) throw new Unsupported();
      const low = char === '\\' ? this.escape() : single(char.codePointAt(0)!);
      first = false;
      if (this.peek() !== '-' || this.peek(1) === ']' || this.peek(1) === undefined) {
        parts.push(low);
        continue;
      }
      this.position++;
      const highChar = this.take();
      const high = highChar === '\\' ? this.escape() : single(highChar.codePointAt(0)!);
      if (low.length !== 2 || high.length !== 2 || low[0] !== low[1] || high[0] !== high[1])
        throw new Unsupported();
      if (high[0]! < low[0]!) throw new Unsupported();
      parts.push([low[0]!, high[0]!]);
    }
    const set = union(...parts);
    return negated ? complement(set) : set;
  }
}

function endsWithAnchor(chars: readonly string[]): boolean {
  if (chars.at(-1) !== '$') return false;
  let backslashes = 0;
  for (let i = chars.length - 2; i >= 0 && chars[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The pattern's tree, or undefined when it uses syntax this parser leaves to RE2. */
export function parseRegex(source: string): ParsedRegex | undefined {
  let chars = Array.from(source);
  const anchoredStart = chars[0] === '^';
  if (anchoredStart) chars = chars.slice(1);
  const anchoredEnd = endsWithAnchor(chars);
  if (anchoredEnd) chars = chars.slice(0, -1);
  try {
    const parser = new Parser(chars);
    const body = parser.alternate();
    if (!parser.atEnd()) return undefined;
    // `^a|b` is `(^a)|b`: the anchors bind to one alternative only, not to the whole pattern.
    if ((anchoredStart || anchoredEnd) && parser.topLevelAlternation) return undefined;
    return { anchoredStart, anchoredEnd, body };
  } catch (error) {
    // RangeError: a stack too deep for the recursive descent (RE2 refuses nesting past 1,000 anyway).
    if (error instanceof Unsupported || error instanceof RangeError) return undefined;
    throw error;
  }
}
