/**
 * kubectl's `-o jsonpath=<template>`: text with `{…}` actions, as k8s.io/client-go/util/jsonpath parses
 * and executes it (with kubectl's default --allow-missing-template-keys), on the one JSONPath evaluator
 * of this folder and within its work meter:
 *
 *   {.items[*].metadata.name}               the values, separated by spaces
 *   {range .items[*]}{.metadata.name}{"\n"}{end}   the body once per value, `@` (and `$`) being that value
 *   {.items[?(@.status.phase=="Running")]}  one comparison (== != < <= > >=) or `[?(@.x)]` (exists)
 *   {"text"} {'text'} {3} {true}            literals
 *
 * As in client-go: a field is read up to `. , [ ] $ @ { }` or a space (a backslash escapes one, so
 * `{.metadata.labels.app\.kubernetes\.io/name}`), `['key']` is read as `.key`, `[n]` and slices count
 * negative positions from the end and are errors out of range, `..` descends (not before `*`), filters
 * apply to lists, and comparisons are Go's: two integers, two floats, two strings or two booleans (for
 * == and !=), anything else an error. Values print as kubectl prints them (go-print.ts).
 *
 * Bounded: parsing is linear in the template (at most MAX_TEMPLATE_CHARS), evaluation counts on one
 * WorkMeter for the whole template (ranges included), and the output stops at MAX_OUTPUT_CHARS, so a
 * template of nested ranges over a large list fails with a JsonPathLimitExceeded instead of growing.
 * There are no regular expressions: kubectl's JSONPath has none.
 */
import { BoundedText, printValue } from './go-print.ts';
import { jsonPath, type JsonPath, type KubectlOperator, type Segment } from './path.ts';
import { KubectlPathError, select } from './select.ts';
import { DEFAULT_LIMITS, JsonPathLimitExceeded, WorkMeter, type WorkLimits } from './work-meter.ts';

export const MAX_TEMPLATE_CHARS = 4096;
/** Output beyond this is refused: a real template prints names and fields, not megabytes. */
export const MAX_OUTPUT_CHARS = 4 * 2 ** 20;
/** Per template, ranges included: the default steps (tens of milliseconds), and the nodes one action may print. */
export const TEMPLATE_LIMITS: WorkLimits = { steps: DEFAULT_LIMITS.steps, results: 50_000 };

/** A template kubectl would not parse. */
export class KubectlTemplateError extends Error {
  override readonly name = 'KubectlTemplateError';
}

type TemplateNode =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'action'; readonly path: JsonPath }
  | {
      readonly type: 'range';
      readonly path: JsonPath;
      readonly body: readonly TemplateNode[];
      /** Has its `{end}`. */
      readonly closed: boolean;
    };

export interface KubectlTemplate {
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
}

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);
const ALPHANUMERIC = /^[\p{L}\p{Nd}_]$/u;
const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const OPERATORS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
const OPERATOR_CHARS = new Set(['!', '<', '>', '=']);

function isTerminator(char: string | undefined): boolean {
  return char === undefined || TERMINATORS.has(char);
}

const GO_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Go's strconv.Unquote, for either quote (client-go's UnquoteExtend). */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const escape = body[++i];
    if (escape !== undefined && Object.hasOwn(GO_ESCAPES, escape)) {
      out += GO_ESCAPES[escape];
      continue;
    }
    const hex = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
    const digits = body.slice(i + 1, i + 1 + hex);
    if (hex > 0 && digits.length === hex && /^[0-9a-fA-F]+$/.test(digits)) {
      out += String.fromCodePoint(Number.parseInt(digits, 16));
      i += hex;
    } else if (escape !== undefined && /^[0-7]{3}$/.test(body.slice(i, i + 3))) {
      out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      throw new KubectlTemplateError(`unquote string ${quoted} error invalid syntax`);
    }
  }
  return out;
}

/** One action's text, read as client-go's parseInsideAction reads it. */
class ActionParser {
  private position = 0;
  readonly segments: Segment[] = [];
  /** `range` or `end`, when the action starts with it. */
  keyword: 'range' | 'end' | undefined;

  constructor(
    private readonly text: string,
    private readonly inFilter = false,
  ) {}

  /** Parses up to the closing `}` (or the end, inside a filter); answers where the action ends. */
  parse(): number {
    for (;;) {
      const rest = this.text.slice(this.position, this.position + 3);
      if (rest.startsWith('}') && !this.inFilter) return this.position + 1;
      if (rest === '[?(') this.filter();
      else if (rest.startsWith('..')) this.recursive();
      else if (!this.next()) return this.position;
    }
  }

  private fail(reason: string): never {
    throw new KubectlTemplateError(reason);
  }

  /** One token; false at the end of a filter's text. */
  private next(): boolean {
    const char = this.text[this.position];
    if (char === undefined || char === '\r' || char === '\n') {
      if (this.inFilter && char === undefined) return false;
      this.fail('unclosed action');
    }
    if (char === ' ' || char === '@' || char === '$') this.position += 1;
    else if (char === '[') this.array();
    else if (char === '"' || char === "'") this.quote(char);
    else if (char === '.') this.field(this.position + 1);
    else if (char === '+' || char === '-' || /\d/.test(char)) this.number();
    else if (ALPHANUMERIC.test(char)) this.identifier();
    else
      this.fail(
        `unrecognized character in action: U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${char}'`,
      );
    return true;
  }

  private recursive(): void {
    if (this.segments.at(-1)?.type === 'descendants') this.fail('invalid multiple recursive descent');
    this.segments.push({ type: 'descendants' });
    this.position += 2;
    if (ALPHANUMERIC.test(this.text[this.position] ?? '')) this.field(this.position);
  }

  /** A field name from `start` to the next unescaped terminator; backslashes are dropped. */
  private field(start: number): void {
    let end = start;
    while (!isTerminator(this.text[end])) end += this.text[end] === '\\' ? 2 : 1;
    end = Math.min(end, this.text.length);
    const value = this.text.slice(start, end);
    this.position = end;
    this.segments.push(
      value === '*' ? { type: 'wildcard' } : { type: 'name', name: value.replaceAll('\\', '') },
    );
  }

  private identifier(): void {
    let end = this.position;
    while (!isTerminator(this.text[end])) end += 1;
    const word = this.text.slice(this.position, end);
    this.position = end;
    if (word === 'true' || word === 'false') this.segments.push({ type: 'literal', value: word === 'true' });
    else if ((word === 'range' || word === 'end') && this.segments.length === 0 && !this.keyword)
      this.keyword = word;
    else this.fail(`unrecognized identifier ${word}`);
  }

  private number(): void {
    let end = this.position;
    if (this.text[end] === '+' || this.text[end] === '-') end += 1;
    while (/[\d.]/.test(this.text[end] ?? '')) end += 1;
    const text = this.text.slice(this.position, end);
    this.position = end;
    const value = /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : Number(text);
    if (!/\d/.test(text) || Number.isNaN(value)) this.fail(`cannot parse number ${text}`);
    this.segments.push({ type: 'literal', value });
  }

  private quote(quoteChar: string): void {
    let end = this.position + 1;
    for (;;) {
      const char = this.text[end];
      if (char === undefined || char === '\n') this.fail('unterminated quoted string');
      if (char === quoteChar && this.text[end - 1] !== '\\') break;
      end += 1;
    }
    this.segments.push({ type: 'literal', value: unquote(this.text.slice(this.position, end + 1)) });
    this.position = end + 1;
  }

  private array(): void {
    const close = this.text.slice(this.position).search(/[\]\n]/);
    if (close < 0 || this.text[this.position + close] === '\n') this.fail('unterminated array');
    let inner = this.text.slice(this.position + 1, this.position + close);
    this.position += close + 1;
    if (inner === '*') inner = ':';
    const parts = inner.split(',');
    if (parts.length > 1) {
      const members = parts.map((part) => subAction(`[${part.trim()}]`));
      this.segments.push({ type: 'union', members });
      return;
    }
    const key = DICT_KEY.exec(inner);
    if (key) {
      this.segments.push(...subAction(`.${key[1]}`));
      return;
    }
    const slice = SLICE.exec(inner);
    if (!slice) this.fail(`invalid array index ${inner}`);
    const [, from = '', to, step] = slice;
    const number = (text: string | undefined) =>
      text === undefined || text === '' ? undefined : Number(text);
    if (to === undefined) {
      this.segments.push({ type: 'index', index: number(from) ?? 0 });
      return;
    }
    this.segments.push({
      type: 'slice',
      start: number(from),
      end: number(to.slice(1)),
      step: number(step?.slice(1)),
    });
  }

  /** `[?( left op right )]`, its text up to the `)` outside the first quoted string. */
  private filter(): void {
    const start = this.position + 3;
    let end = start;
    let quote: string | undefined;
    let closed = false;
    for (; ; end++) {
      const char = this.text[end];
      if (char === undefined || char === '\n') this.fail('unterminated filter');
      if ((char === '"' || char === "'") && quote === undefined) quote = char;
      else if (char === quote && this.text[end - 1] !== '\\') closed = true;
      else if (char === ')' && (quote === undefined) === !closed) break;
    }
    if (this.text[end + 1] !== ']') this.fail('unclosed array expect ]');
    const source = this.text.slice(start, end);
    this.position = end + 2;
    this.segments.push(kubectlFilter(source));
  }
}

/** The segments of an action's text on its own (a union member, a dict key, a side of a filter). */
function subAction(text: string): Segment[] {
  const parser = new ActionParser(text, true);
  parser.parse();
  if (parser.keyword) throw new KubectlTemplateError(`unrecognized identifier ${parser.keyword}`);
  return parser.segments;
}

/** client-go splits a filter at its first run of `! < > =` characters: `left op right`, else `exists`. */
function kubectlFilter(source: string): Segment {
  const first = [...source].findIndex((char) => OPERATOR_CHARS.has(char));
  let after = first;
  while (after >= 0 && OPERATOR_CHARS.has(source[after] ?? '')) after += 1;
  if (first <= 0 || after >= source.length)
    return { type: 'kubectl-filter', source, operator: 'exists', left: subAction(source), right: [] };
  const operator = source.slice(first, after);
  if (!OPERATORS.has(operator)) throw new KubectlTemplateError(`unrecognized filter operator ${operator}`);
  return {
    type: 'kubectl-filter',
    source,
    operator: operator as KubectlOperator,
    left: subAction(source.slice(0, first)),
    right: subAction(source.slice(after)),
  };
}

/** Parses a template; throws a KubectlTemplateError saying what kubectl would say. */
export function parseKubectlTemplate(source: string): KubectlTemplate {
  const fail = (reason: string) => new KubectlTemplateError(`error parsing jsonpath ${source}, ${reason}`);
  if (source.length > MAX_TEMPLATE_CHARS)
    throw fail(`the template is longer than ${MAX_TEMPLATE_CHARS} characters`);
  const root: TemplateNode[] = [];
  const open: { type: 'range'; path: JsonPath; body: TemplateNode[]; closed: boolean }[] = [];
  const current = () => open.at(-1)?.body ?? root;
  let position = 0;
  while (position < source.length) {
    const brace = source.indexOf('{', position);
    const textEnd = brace < 0 ? source.length : brace;
    if (textEnd > position) current().push({ type: 'text', text: source.slice(position, textEnd) });
    if (brace < 0) break;
    const parser = new ActionParser(source.slice(brace + 1));
    let length: number;
    try {
      length = parser.parse();
    } catch (error) {
      throw error instanceof KubectlTemplateError ? fail(error.message) : error;
    }
    const text = source.slice(brace + 1, brace + length);
    const path = jsonPath(text, false, parser.segments, 'kubectl');
    if (parser.keyword === 'range') {
      const range = { type: 'range' as const, path, body: [] as TemplateNode[], closed: false };
      current().push(range);
      open.push(range);
    } else if (parser.keyword === 'end') {
      const range = open.pop();
      if (!range)
        throw new KubectlTemplateError(
          `error executing jsonpath ${JSON.stringify(source)}: not in range, nothing to end`,
        );
      range.closed = true;
    } else {
      current().push({ type: 'action', path });
    }
    position = brace + 1 + length;
  }
  return { source, nodes: root };
}

function render(nodes: readonly TemplateNode[], current: unknown, out: BoundedText, meter: WorkMeter): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      out.write(node.text);
      continue;
    }
    const selected = select(node.path, { value: current, present: true, steps: [] }, meter);
    if (node.type === 'range') {
      for (const item of selected) render(node.body, item.value, out, meter);
      // client-go runs the body of a range without {end} once more, on the enclosing value.
      if (!node.closed) render(node.body, current, out, meter);
      continue;
    }
    // `{@}` of a null range item prints what Go's text/template prints for no value.
    if (node.path.segments.length === 0 && (current === null || current === undefined)) {
      out.write('<no value>');
      continue;
    }
    selected.forEach((item, index) => {
      if (index > 0) out.write(' ');
      printValue(item.value, out);
    });
  }
}

/**
 * The template's output for `document`; throws a KubectlTemplateError when kubectl would report an
 * error (parsing or executing), a JsonPathLimitExceeded when the template needs more than its limits.
 */
export function renderKubectlTemplate(
  template: KubectlTemplate,
  document: unknown,
  limits: WorkLimits = TEMPLATE_LIMITS,
  maxOutputChars = MAX_OUTPUT_CHARS,
): string {
  const out = new BoundedText(maxOutputChars);
  try {
    render(template.nodes, document, out, new WorkMeter(limits));
  } catch (error) {
    if (error instanceof KubectlPathError)
      throw new KubectlTemplateError(
        `error executing jsonpath ${JSON.stringify(template.source)}: ${error.message}`,
      );
    if (error instanceof JsonPathLimitExceeded)
      throw new JsonPathLimitExceeded(error.exhausted, error.limit, template.source);
    throw error;
  }
  return out.toString();
}
