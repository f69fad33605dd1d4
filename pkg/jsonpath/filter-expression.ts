/**
 * The expressions of policy JSONPath filters (`$.spec.containers[?(@.name == 'app')]`), in a small
 * grammar of comparisons and logic: no calls, no regex literals, no assignments (the JavaScript that
 * jsonpath-plus's filters accept, `@.name.match(/(a+)+$/)`, was a way around RE2 and the time budget):
 *
 *   expr  := and ('||' and)*          and  := unary ('&&' unary)*      unary := '!' unary | cmp
 *   cmp   := term (op term)?          op   := == != === !== < <= > >=
 *   term  := '(' expr ')' | '@' ('.' name | '[' string | integer ']')* | string | number
 *          | true | false | null
 *
 * Equality is JSON equality; < <= > >= compare two numbers or two strings and are false otherwise; a bare
 * term holds when its value is present and neither null nor false.
 */
import { sameJson } from '../json/json-value.ts';
import type { WorkMeter } from './work-meter.ts';

type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterExpression =
  | { readonly type: 'or' | 'and'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly type: 'not'; readonly operand: FilterExpression }
  | {
      readonly type: 'compare';
      readonly op: Comparison;
      readonly left: FilterExpression;
      readonly right: FilterExpression;
    }
  | { readonly type: 'current'; readonly steps: readonly (string | number)[] }
  | { readonly type: 'literal'; readonly value: string | number | boolean | null };

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

  parse(): FilterExpression {
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

  private or(): FilterExpression {
    let node = this.and();
    while (this.take('||')) node = { type: 'or', left: node, right: this.and() };
    return node;
  }

  private and(): FilterExpression {
    let node = this.unary();
    while (this.take('&&')) node = { type: 'and', left: node, right: this.unary() };
    return node;
  }

  private unary(): FilterExpression {
    return this.take('!') ? { type: 'not', operand: this.unary() } : this.comparison();
  }

  private comparison(): FilterExpression {
    const left = this.term();
    for (const op of ['===', '!==', '==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.take(op)) {
        const normalized = op === '===' ? '==' : op === '!==' ? '!=' : op;
        return { type: 'compare', op: normalized, left, right: this.term() };
      }
    }
    return left;
  }

  private term(): FilterExpression {
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

export function parseFilter(source: string): FilterExpression {
  return new Parser(tokenize(source)).parse();
}

function read(value: unknown, steps: readonly (string | number)[], meter: WorkMeter): unknown {
  meter.spend(steps.length + 1);
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

function value(node: FilterExpression, current: unknown, meter: WorkMeter): unknown {
  if (node.type === 'literal') return node.value;
  if (node.type === 'current') return read(current, node.steps, meter);
  return holds(node, current, meter);
}

function ordered(op: Comparison, a: unknown, b: unknown): boolean {
  const comparable =
    (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!comparable) return false;
  const [x, y] = [a as number | string, b as number | string];
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

/** Whether the filter holds for `current`, the candidate node (`@`); reads are counted on `meter`. */
export function holds(node: FilterExpression, current: unknown, meter: WorkMeter): boolean {
  switch (node.type) {
    case 'or':
      return holds(node.left, current, meter) || holds(node.right, current, meter);
    case 'and':
      return holds(node.left, current, meter) && holds(node.right, current, meter);
    case 'not':
      return !holds(node.operand, current, meter);
    case 'compare': {
      const [a, b] = [value(node.left, current, meter), value(node.right, current, meter)];
      if (node.op === '==') return a !== undefined && b !== undefined && sameJson(a, b);
      if (node.op === '!=') return !(a !== undefined && b !== undefined && sameJson(a, b));
      return ordered(node.op, a, b);
    }
    case 'current':
    case 'literal': {
      const found = value(node, current, meter);
      return found !== undefined && found !== null && found !== false;
    }
  }
}
