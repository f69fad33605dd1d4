/**
 * The Kubernetes label-selector string (`kubectl -l`, `?labelSelector=`):
 * `a=b,a==b,c!=d,e in (x,y),f notin (z),g,!h`, requirements separated by commas and ANDed.
 *
 * Keys and values are validated as the API server validates them, so a selector the aggregated API accepts
 * is one kube-apiserver would accept too. Errors name the offending part in one sentence, because that
 * sentence becomes the message of a 400 answer. The set-based comparison operators `gt`/`lt` (`a>1`) that
 * the Kubernetes parser also knows are refused with a message: no kAppNav selector uses them.
 */
import type { Requirement } from './requirement.ts';

export class SelectorSyntaxError extends Error {
  constructor(
    readonly selector: string,
    detail: string,
  ) {
    super(`invalid label selector ${JSON.stringify(selector)}: ${detail}`);
    this.name = 'SelectorSyntaxError';
  }
}

type TokenKind = 'identifier' | '(' | ')' | ',' | '=' | '==' | '!=' | '!' | '>' | '<' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

/** Longest first, so that `!=` wins over `!` and `==` over `=`. */
const SYMBOLS: readonly TokenKind[] = ['==', '!=', '(', ')', ',', '=', '!', '>', '<'];
const IDENTIFIER = /[^\s()!,=<>]+/y;
const SPACE = /\s*/y;

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (;;) {
    SPACE.lastIndex = position;
    SPACE.exec(text);
    position = SPACE.lastIndex;
    if (position >= text.length) break;
    const symbol = SYMBOLS.find((s) => text.startsWith(s, position));
    if (symbol) {
      tokens.push({ kind: symbol, text: symbol, position });
      position += symbol.length;
      continue;
    }
    IDENTIFIER.lastIndex = position;
    const match = IDENTIFIER.exec(text)!; // every other character starts an identifier
    tokens.push({ kind: 'identifier', text: match[0], position });
    position = IDENTIFIER.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', position });
  return tokens;
}

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > MAX_PREFIX || !DNS_SUBDOMAIN.test(prefix)))
    return `the prefix ${JSON.stringify(prefix)} of label key ${JSON.stringify(key)} is not a DNS subdomain (lower-case alphanumerics, '-' and '.', at most ${MAX_PREFIX} characters)`;
  if (name.length > MAX_NAME || !NAME.test(name))
    return `label key ${JSON.stringify(key)} is invalid: a name has at most ${MAX_NAME} alphanumerics, '-', '_' or '.', and starts and ends with an alphanumeric`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= MAX_NAME && NAME.test(value))) return undefined;
  return `label value ${JSON.stringify(value)} is invalid: a value has at most ${MAX_NAME} alphanumerics, '-', '_' or '.', and starts and ends with an alphanumeric`;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    if (this.peek().kind === 'end') return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.next();
      if (next.kind === 'end') return requirements;
      if (next.kind !== ',') throw this.error(`expected "," or the end ${this.at(next)}`);
      if (this.peek().kind === 'end')
        throw this.error(`expected a requirement after the "," ${this.at(next)}`);
    }
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private error(detail: string): SelectorSyntaxError {
    return new SelectorSyntaxError(this.text, detail);
  }

  private at(token: Token): string {
    return token.kind === 'end'
      ? 'but the selector ends'
      : `but found ${JSON.stringify(token.text)} at position ${token.position}`;
  }

  private key(after: string): string {
    const token = this.next();
    if (token.kind !== 'identifier') throw this.error(`expected a label key ${after}${this.at(token)}`);
    const problem = labelKeyProblem(token.text);
    if (problem) throw this.error(problem);
    return token.text;
  }

  /** A value token, or the empty value when the next token ends the value (`a=`, `a in (x,)`). */
  private value(endings: readonly TokenKind[], context: string): string {
    const token = this.peek();
    if (token.kind !== 'identifier') {
      if (endings.includes(token.kind)) return '';
      throw this.error(`expected a label value ${context} ${this.at(token)}`);
    }
    this.next();
    const problem = labelValueProblem(token.text);
    if (problem) throw this.error(problem);
    return token.text;
  }

  private requirement(): Requirement {
    if (this.peek().kind === '!') {
      this.next();
      return { key: this.key('after "!" '), operator: 'DoesNotExist', values: [] };
    }
    const key = this.key('');
    const token = this.peek();
    switch (token.kind) {
      case ',':
      case 'end':
        return { key, operator: 'Exists', values: [] };
      case '=':
      case '==':
      case '!=':
        this.next();
        return {
          key,
          operator: token.kind === '!=' ? 'NotEquals' : 'Equals',
          values: [this.value([',', 'end'], `after "${key}${token.text}"`)],
        };
      case '>':
      case '<':
        throw this.error(`the operator "${token.text}" after "${key}" is not supported`);
      case 'identifier':
        if (token.text === 'in' || token.text === 'notin') {
          this.next();
          return {
            key,
            operator: token.text === 'in' ? 'In' : 'NotIn',
            values: this.valueSet(key, token.text),
          };
        }
    }
    throw this.error(
      `expected an operator (=, ==, !=, in, notin), "," or the end after "${key}" ${this.at(token)}`,
    );
  }

  private valueSet(key: string, operator: string): string[] {
    const context = `"${key} ${operator}"`;
    const open = this.next();
    if (open.kind !== '(') throw this.error(`expected "(" after ${context} ${this.at(open)}`);
    if (this.peek().kind === ')') throw this.error(`${context} needs at least one value in its parentheses`);
    const values: string[] = [];
    for (;;) {
      values.push(this.value([',', ')'], `in the values of ${context}`));
      const token = this.next();
      if (token.kind === ')') return values;
      if (token.kind !== ',')
        throw this.error(`expected "," or ")" in the values of ${context} ${this.at(token)}`);
    }
  }
}

/** Parses a selector string; throws SelectorSyntaxError naming the offending part. `''` has no requirements. */
export function parseSelector(text: string): Requirement[] {
  return new Parser(text).parse();
}

function formatRequirement({ key, operator, values }: Requirement): string {
  switch (operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'Equals':
      return `${key}=${values[0] ?? ''}`;
    case 'NotEquals':
      return `${key}!=${values[0] ?? ''}`;
    case 'In':
      return `${key} in (${values.join(',')})`;
    case 'NotIn':
      return `${key} notin (${values.join(',')})`;
  }
}

/** The selector string of `requirements`, in their order; parseSelector reads it back to the same list. */
export function formatSelector(requirements: readonly Requirement[]): string {
  return requirements.map(formatRequirement).join(',');
}
