/**
 * The expressions of JSONPath filters (`$.spec.containers[?(@.name == 'app')]`).
 *
 * jsonpath-plus evaluates filters with its own interpreter by default, which also accepts JavaScript
 * regex literals and method calls (`@.name.match(/(a+)+$/)`): a way around RE2 and the time budget. So
 * prismgate parses filters itself, with a small grammar, when the policy is applied, and hands
 * jsonpath-plus an evaluator for the parsed form:
 *
 *   expr  := and ('||' and)*          and  := unary ('&&' unary)*      unary := '!' unary | cmp
 *   cmp   := term (op term)?          op   := == != === !== < <= > >=
 *   term  := '(' expr ')' | '@' ('.' name | '[' string | integer ']')* | string | number
 *          | true | false | null
 *
 * Equality is JSON equality; < <= > >= compare two numbers or two strings and are false otherwise; a bare
 * term holds when its value is present and neither null nor false.
 */
import { sameJson } from '../../../pkg/json/json-value.ts';

type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { type: 'or' | 'and'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode }
  | { type: 'compare'; op: Comparison; left: FilterNode; right: FilterNode }
  | { type: 'current'; steps: (string | number)[] }
  | { type: 'literal'; value: string | number | boolean | null };

export class FilterSyntaxError extends Error {}

const TOKEN =
  /\s*(?:(===|!==|==|!=|<=|>=|&&|\|\||[<>!()[\].@])|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_-]*))/y;

interface Token {
  text: string;
  kind: 'symbol' | 'string' | 'number' | 'name';
  position: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    if (/^\s*$/.test(source.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(source);
    if (!match)
      throw new FilterSyntaxError(`unexpected ${JSON.stringify(source.slice(position).trimStart()[0])}`);
    const [whole, symbol, string, number, name] = match;
    const text = symbol ?? string ?? number ?? name ?? '';
    const kind = symbol ? 'symbol' : string ? 'string' : number ? 'number' : 'name';
    tokens.push({ text, kind, position: position + whole.length - text.length });
    position = TOKEN.lastIndex;
  }
  return tokens;
}

function unquote(text: string): string {
  // Single-quoted strings are JSON strings with the other quote character.
  const body = text.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"');
  return JSON.parse(`"${text.startsWith("'") ? body : text.slice(1, -1)}"`) as string;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    const node = this.or();
    const rest = this.tokens[this.index];
    if (rest) throw new FilterSyntaxError(`unexpected ${JSON.stringify(rest.text)}`);
    return node;
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.index];
    return token?.kind === 'symbol' && token.text === text;
  }

  private take(text: string): boolean {
    if (!this.peek(text)) return false;
    this.index += 1;
    return true;
  }

  private next(what: string): Token {
    const token = this.tokens[this.index];
    if (!token) throw new FilterSyntaxError(`expected ${what} at the end`);
    this.index += 1;
    return token;
  }

  private or(): FilterNode {
    let node = this.and();
    while (this.take('||')) node = { type: 'or', left: node, right: this.and() };
    return node;
  }

  private and(): FilterNode {
    let node = this.unary();
    while (this.take('&&')) node = { type: 'and', left: node, right: this.unary() };
    return node;
  }

  private unary(): FilterNode {
    return this.take('!') ? { type: 'not', operand: this.unary() } : this.comparison();
  }

  private comparison(): FilterNode {
    const left = this.term();
    for (const op of ['===', '!==', '==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.take(op)) {
        const normalized = op === '===' ? '==' : op === '!==' ? '!=' : op;
        return { type: 'compare', op: normalized, left, right: this.term() };
      }
    }
    return left;
  }

  private term(): FilterNode {
    if (this.take('(')) {
      const node = this.or();
      if (!this.take(')')) throw new FilterSyntaxError('expected )');
      return node;
    }
    if (this.take('@')) return { type: 'current', steps: this.steps() };
    const token = this.next('a value');
    if (token.kind === 'string') return { type: 'literal', value: unquote(token.text) };
    if (token.kind === 'number') return { type: 'literal', value: Number(token.text) };
    if (token.kind === 'name' && ['true', 'false', 'null'].includes(token.text))
      return { type: 'literal', value: JSON.parse(token.text) as boolean | null };
    throw new FilterSyntaxError(
      `unexpected ${JSON.stringify(token.text)}: only @, strings, numbers, true, false and null are values`,
    );
  }

  private steps(): (string | number)[] {
    const steps: (string | number)[] = [];
    for (;;) {
      if (this.take('.')) {
        const name = this.next('a field name');
        if (name.kind !== 'name') throw new FilterSyntaxError(`expected a field name after @.`);
        steps.push(name.text);
      } else if (this.take('[')) {
        const key = this.next('a key');
        if (key.kind === 'string') steps.push(unquote(key.text));
        else if (key.kind === 'number' && /^\d+$/.test(key.text)) steps.push(Number(key.text));
        else throw new FilterSyntaxError('expected a quoted key or an index in [ ]');
        if (!this.take(']')) throw new FilterSyntaxError('expected ]');
      } else {
        return steps;
      }
    }
  }
}

export function parseFilter(source: string): FilterNode {
  return new Parser(tokenize(source)).parse();
}

function read(value: unknown, steps: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else
      current =
        typeof current === 'object' &&
        current !== null &&
        !Array.isArray(current) &&
        Object.hasOwn(current, step)
          ? (current as Record<string, unknown>)[step]
          : undefined;
  }
  return current;
}

function value(node: FilterNode, current: unknown): unknown {
  if (node.type === 'literal') return node.value;
  if (node.type === 'current') return read(current, node.steps);
  return holds(node, current);
}

function ordered(op: Comparison, a: unknown, b: unknown): boolean {
  const comparable =
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const [x, y] = [a as number | string, b as number | string];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** Whether the filter holds for `current`, the candidate node (`@`). */
export function holds(node: FilterNode, current: unknown): boolean {
  switch (node.type) {
    case 'or':
      return holds(node.left, current) || holds(node.right, current);
    case 'and':
      return holds(node.left, current) && holds(node.right, current);
    case 'not':
      return !holds(node.operand, current);
    case 'compare': {
      const [a, b] = [value(node.left, current), value(node.right, current)];
      if (node.op === '==') return a !== undefined && b !== undefined && sameJson(a, b);
      if (node.op === '!=') return !(a !== undefined && b !== undefined && sameJson(a, b));
      return ordered(node.op, a, b);
    }
    case 'current':
    case 'literal': {
      const found = value(node, current);
      return found !== undefined && found !== null && found !== false;
    }
  }
}
