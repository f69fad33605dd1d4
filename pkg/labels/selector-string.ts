/**
 * The Kubernetes label-selector string (`kubectl -l`, `?labelSelector=`):
 * `a=b,a==b,c!=d,e in (x,y),f notin (z),g,!h,n>3,n<5`, requirements separated by commas and ANDed.
 *
 * Read with apimachinery's grammar (labels.Parse): its tokens, its quirks (`x in ()` is `x in ("")`, a
 * value set keeps each value once, in order), its checks of keys and values, and its error messages word
 * for word, so that a selector is accepted or refused here exactly as kube-apiserver accepts or refuses it
 * and the 400 says the same thing.
 */
import { aggregateErrors, errorText, invalid, type FieldError } from '../validation/field-errors.ts';
import { labelKeyProblems, labelValueProblems } from '../validation/names.ts';
import { int64, type Operator, type Requirement } from './requirement.ts';

export class SelectorSyntaxError extends Error {
  constructor(
    readonly selector: string,
    message: string,
  ) {
    super(message);
    this.name = 'SelectorSyntaxError';
  }
}

type TokenKind =
  'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: ReadonlySet<string> = new Set([')', ',', '!', '==', '=', '>', '<', '!=', '(']);
const KEYWORDS: ReadonlySet<string> = new Set(['in', 'notin']);
const isWhitespace = (char: string) => char === ' ' || char === '\t' || char === '\r' || char === '\n';
const isSpecial = (char: string) => '=!(),><'.includes(char);
/** Go's lexer reads a NUL byte as the end of the input. */
const END = '\0';

class Lexer {
  private position = 0;

  constructor(private readonly text: string) {}

  private read(): string {
    return this.position < this.text.length ? this.text[this.position++]! : END;
  }

  private unread(): void {
    this.position--;
  }

  next(): Token {
    let char = this.read();
    while (isWhitespace(char)) char = this.read();
    if (char === END) return { kind: 'end', text: '' };
    this.unread();
    return isSpecial(char) ? this.symbol() : this.identifier();
  }

  /** A run of special characters, as long as it keeps forming a symbol (`!=`, `==`). */
  private symbol(): Token {
    let buffer = '';
    let last: Token | undefined;
    for (;;) {
      const char = this.read();
      if (char === END) break;
      if (!isSpecial(char)) {
        this.unread();
        break;
      }
      buffer += char;
      if (SYMBOLS.has(buffer)) last = { kind: buffer as TokenKind, text: buffer };
      else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? { kind: 'error', text: `error expected: keyword found '${buffer}'` };
  }

  private identifier(): Token {
    let buffer = '';
    for (;;) {
      const char = this.read();
      if (char === END) break;
      if (isSpecial(char) || isWhitespace(char)) {
        this.unread();
        break;
      }
      buffer += char;
    }
    return KEYWORDS.has(buffer)
      ? { kind: buffer as TokenKind, text: buffer }
      : { kind: 'identifier', text: buffer };
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** The checks of labels.NewRequirement, collected as Kubernetes collects them. */
function requirement(key: string, operator: Operator, values: string[]): Requirement {
  const errors: FieldError[] = [];
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) errors.push(invalid('key', key, keyProblems.join('; ')));
  if (operator === 'GreaterThan' || operator === 'LessThan')
    values.forEach((value, index) => {
      if (int64(value) === undefined)
        errors.push(
          invalid(`values[${index}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"),
        );
    });
  values.forEach((value, index) => {
    const problems = labelValueProblems(value);
    if (problems.length > 0) errors.push(invalid(`values[${index}][${key}]`, value, problems.join('; ')));
  });
  if (errors.length > 0) throw new Error(aggregateErrors(errors));
  return { key, operator, values };
}

/** A value set: each value once, sorted (Kubernetes keeps value sets as sorted sets). */
const valueSet = (values: Iterable<string>) => [...new Set(values)].sort();

class Parser {
  private readonly tokens: Token[] = [];
  private position = 0;

  constructor(private readonly text: string) {
    const lexer = new Lexer(text);
    for (;;) {
      const token = lexer.next();
      this.tokens.push(token);
      if (token.kind === 'end') break;
    }
  }

  /** The next token; in a value position `in` and `notin` are identifiers (`in in (in)`). */
  private peek(values: boolean): Token {
    const token = this.tokens[this.position]!;
    return values && (token.kind === 'in' || token.kind === 'notin')
      ? { ...token, kind: 'identifier' }
      : token;
  }

  private consume(values: boolean): Token {
    const token = this.peek(values);
    this.position++;
    return token;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const token = this.peek(true);
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== '!')
        throw new Error(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (error) {
        throw new Error(`unable to parse requirement: ${(error as Error).message}`);
      }
      const after = this.consume(true);
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') throw new Error(`found '${after.text}', expected: ',' or 'end of string'`);
      const next = this.peek(true);
      if (next.kind !== 'identifier' && next.kind !== '!')
        throw new Error(`found '${next.text}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let token = this.consume(true);
    let operator: Operator | undefined;
    if (token.kind === '!') {
      operator = 'DoesNotExist';
      token = this.consume(true);
    }
    if (token.kind !== 'identifier') throw new Error(`found '${token.text}', expected: identifier`);
    const key = token.text;
    const keyProblems = labelKeyProblems(key);
    // The key is checked before its operator is read, with no field path ("<nil>").
    if (keyProblems.length > 0) throw new Error(errorText(invalid('<nil>', key, keyProblems.join('; '))));
    const next = this.peek(true).kind;
    if (operator === undefined && (next === 'end' || next === ',')) operator = 'Exists';
    if (operator !== undefined) return requirement(key, operator, []);
    operator = this.operator();
    const values = operator === 'In' || operator === 'NotIn' ? this.valueList() : this.exactValue();
    return requirement(key, operator, values);
  }

  private operator(): Operator {
    const token = this.consume(false);
    switch (token.kind) {
      case 'in':
        return 'In';
      case 'notin':
        return 'NotIn';
      case '=':
      case '==':
        return 'Equals';
      case '!=':
        return 'NotEquals';
      case '>':
        return 'GreaterThan';
      case '<':
        return 'LessThan';
      default:
        throw new Error(`found '${token.text}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `(a,b)`; `()` is the empty value, and empty places between commas are empty values too. */
  private valueList(): string[] {
    const open = this.consume(true);
    if (open.kind !== '(') throw new Error(`found '${open.text}' expected: '('`);
    const first = this.peek(true);
    if (first.kind === ')') {
      this.consume(true);
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',')
      throw new Error(`found '${first.text}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    // Kubernetes reports the token that opened the list here, not the one found.
    if (this.consume(true).kind !== ')') throw new Error(`found '${first.text}', expected: ')'`);
    return valueSet(values);
  }

  private identifiers(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.consume(true);
      if (token.kind === 'identifier') {
        values.push(token.text);
        const next = this.peek(true);
        if (next.kind === ',') continue;
        if (next.kind === ')') return values;
        throw new Error(`found '${next.text}', expected: ',' or ')'`);
      }
      if (token.kind !== ',') throw new Error(`found '${token.text}', expected: ',', or identifier`);
      if (values.length === 0) values.push('');
      const next = this.peek(true).kind;
      if (next === ')') {
        values.push('');
        return values;
      }
      if (next === ',') values.push('');
    }
  }

  private exactValue(): string[] {
    const next = this.peek(true);
    if (next.kind === 'end' || next.kind === ',') return [''];
    const token = this.consume(true);
    if (token.kind === 'identifier') return [token.text];
    throw new Error(`found '${token.text}', expected: identifier`);
  }

  error(error: unknown): SelectorSyntaxError {
    return new SelectorSyntaxError(this.text, (error as Error).message);
  }
}

/** Parses a selector string; throws SelectorSyntaxError with kube-apiserver's message. `''` has no requirements. */
export function parseSelector(text: string): Requirement[] {
  const parser = new Parser(text);
  try {
    return parser.parse();
  } catch (error) {
    throw parser.error(error);
  }
}

const OPERATOR_TEXT: Readonly<Record<Operator, string>> = {
  Equals: '=',
  NotEquals: '!=',
  In: ' in ',
  NotIn: ' notin ',
  GreaterThan: '>',
  LessThan: '<',
  Exists: '',
  DoesNotExist: '',
};

function formatRequirement({ key, operator, values }: Requirement): string {
  switch (operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'In':
    case 'NotIn':
      return `${key}${OPERATOR_TEXT[operator]}(${values.join(',')})`;
    default:
      return `${key}${OPERATOR_TEXT[operator]}${values[0] ?? ''}`;
  }
}

/** The selector string of `requirements`, in their order; parseSelector reads it back to the same list. */
export function formatSelector(requirements: readonly Requirement[]): string {
  return requirements.map(formatRequirement).join(',');
}
