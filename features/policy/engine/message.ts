/**
 * Messages of policy rules: templates with placeholders, rendered in the Vimana rules' format
 * `<path> <JSON value>: <expectation>` so a declarative rule reads exactly like the code rule it replaces.
 *
 *   {{ path }}     where the failing value is, e.g. spec.aliases[1] or spec.versionWeights["1.0.0"]
 *   {{ value }}    the failing value as JSON; an absent value reads (absent)
 *   {{ $.a.b }}    a value of the reviewed object, as JSON (any JSONPath; the first node it selects)
 *   {{ expectation }}  what the failing assertion expects, in words (its `expectation`, or the operator's)
 *   {{ policy }}, {{ rule }}, and what an operator tells (Distinct: {{ first }}, the path of the first copy)
 *
 * Kubernetes truncates warnings beyond 256 characters (and advises 120), so a message is kept near 200:
 * values ({{ value }}, {{ $.… }}) are shortened with …, each keeping at least 24 characters; the policy's own
 * words, paths and what operators tell never are.
 */
import { clip, renderValue } from '../../../pkg/json/json-value.ts';
import { parseJsonPath, rootNode, select, type JsonPath, type PathNode, type Step } from './jsonpath.ts';

const MAX_MESSAGE_CHARS = 200;
const MIN_VALUE_CHARS = 24;
const MAX_KEY_CHARS = 40;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;

/** `spec.aliases[1]`; keys found by wildcards, and names that are no identifiers, in brackets. */
export function renderPath(steps: readonly Step[]): string {
  if (steps.length === 0) return 'object';
  return steps
    .map(({ key, named }, index) => {
      if (typeof key === 'number') return `[${key}]`;
      if (named && IDENTIFIER.test(key)) return index === 0 ? key : `.${key}`;
      return `[${clip(JSON.stringify(key), MAX_KEY_CHARS)}]`;
    })
    .join('');
}

/** What a message can refer to when a rule fails. */
export interface MessageContext {
  object: unknown;
  node: PathNode;
  policy: string;
  rule: string;
  expectation?: string;
  facts?: Readonly<Record<string, string>>;
  /** What a value placeholder may show of a node (sensitive-values.ts masks Secret data); its value by default. */
  shown?: (node: PathNode) => unknown;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'path' | 'policy' | 'rule' | 'expectation' }
  | { kind: 'value' }
  | { kind: 'fact'; name: string }
  | { kind: 'object'; path: JsonPath };

export interface MessageTemplate {
  readonly source: string;
  render(context: MessageContext): string;
}

export type CompiledTemplate = { ok: true; template: MessageTemplate } | { ok: false; problem: string };

function parsePart(expression: string, facts: readonly string[]): Part | string {
  if (
    expression === 'path' ||
    expression === 'policy' ||
    expression === 'rule' ||
    expression === 'expectation'
  )
    return { kind: expression };
  if (expression === 'value') return { kind: 'value' };
  if (facts.includes(expression)) return { kind: 'fact', name: expression };
  if (expression.startsWith('$')) {
    const parsed = parseJsonPath(expression);
    return parsed.ok ? { kind: 'object', path: parsed.path } : `{{ ${expression} }} ${parsed.problem}`;
  }
  const known = ['path', 'value', 'expectation', 'policy', 'rule', ...facts, '$.<path>'].join(', ');
  return `{{ ${expression} }} is not a placeholder; use one of ${known}`;
}

/** Compiles a template; `facts` are the extra names the rule's operators provide. */
export function compileTemplate(source: string, facts: readonly string[] = []): CompiledTemplate {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ kind: 'text', text: source.slice(last, match.index) });
    const part = parsePart(match[1] ?? '', facts);
    if (typeof part === 'string') return { ok: false, problem: part };
    parts.push(part);
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  return { ok: true, template: { source, render: (context) => render(parts, context) } };
}

const shown = (context: MessageContext, node: PathNode) => (context.shown ? context.shown(node) : node.value);

function render(parts: readonly Part[], context: MessageContext): string {
  const fixed = parts.map((part): string | undefined => {
    switch (part.kind) {
      case 'text':
        return part.text;
      case 'path':
        return renderPath(context.node.steps);
      case 'policy':
        return context.policy;
      case 'rule':
        return context.rule;
      case 'expectation':
        return context.expectation ?? '';
      case 'fact':
        return context.facts?.[part.name] ?? '';
      default:
        return undefined;
    }
  });
  const values = parts.map((part): string | undefined => {
    switch (part.kind) {
      case 'value':
        return renderValue(context.node.present ? shown(context, context.node) : undefined);
      case 'object': {
        const [node] = select(part.path, rootNode(context.object));
        return renderValue(node?.present ? shown(context, node) : undefined);
      }
      default:
        return undefined;
    }
  });
  const valueCount = values.filter((v) => v !== undefined).length;
  const fixedChars = fixed.reduce((sum, text) => sum + (text?.length ?? 0), 0);
  const budget =
    valueCount === 0
      ? 0
      : Math.max(Math.floor((MAX_MESSAGE_CHARS - fixedChars) / valueCount), MIN_VALUE_CHARS);
  return parts.map((_, i) => fixed[i] ?? clip(values[i] ?? '', budget)).join('');
}
