/**
 * JSONPath in policies: parsed strictly when the policy is applied, evaluated with jsonpath-plus.
 *
 * jsonpath-plus reads almost any string as some path (`$.spec[` is accepted and selects nothing), so a typo
 * would silently turn a rule off. Paths are therefore parsed here with a strict grammar, and the result is
 * compared with how jsonpath-plus splits the same text; a path the two read differently is rejected too.
 *
 *   path     := ('$' | '@') segment* '~'?
 *   segment  := '.' name | '.*' | '..' (name | '*' | bracket) | bracket
 *   bracket  := '[' ( '*' | index (',' index)* | start? ':' end? (':' step)? | 'key' | '?(' filter ')' ) ']'
 *
 * `$` is the reviewed object, `@` the current subject of a rule (see rule.ts); a trailing `~` selects the
 * keys of a map instead of its values. Filters are parsed by filter-expression.ts.
 *
 * Evaluation answers nodes: the value, whether it is present, and its steps from the root, from which
 * messages render paths the way the Vimana rules do (`spec.aliases[1]`, `spec.versionWeights["1.0.0"]`).
 * Paths of names, indexes, wildcards and a final `~` (most paths policies use) are walked directly, with
 * the same result as jsonpath-plus (a property test holds the two together) at a fraction of the cost;
 * the others (filters, slices, unions, descendants) go through jsonpath-plus.
 * A plain path (names and indexes only) is read directly: it selects at most one node, and when it
 * selects none, an absent node at that path is still answered so a rule can say what is missing.
 */
import { JSONPath } from 'jsonpath-plus';
import { FilterSyntaxError, holds, parseFilter, type FilterNode } from './filter-expression.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';

export type Segment =
  | { type: 'name'; name: string }
  | { type: 'index'; index: number }
  | { type: 'wildcard' }
  | { type: 'descendants' }
  | { type: 'union'; text: string }
  | { type: 'slice'; text: string }
  | { type: 'filter'; text: string; filter: FilterNode }
  | { type: 'keys' };

export interface Step {
  key: string | number;
  /** Written as a name in the path (rendered `.name`); keys found by a wildcard or filter are data. */
  named: boolean;
}

export interface PathNode {
  value: unknown;
  present: boolean;
  steps: readonly Step[];
  /** The array or map holding the node, when there is one. */
  container?: unknown;
}

export interface JsonPath {
  readonly source: string;
  readonly relative: boolean;
  readonly segments: readonly Segment[];
  /** Names and indexes only: selects at most one node. */
  readonly plain: boolean;
  /** For a plain path, its steps, computed once. */
  readonly plainSteps: readonly Step[];
  /** Names, indexes, wildcards and a final `~` only: walked directly. */
  readonly simple: boolean;
}

export type ParsedPath = { ok: true; path: JsonPath } | { ok: false; problem: string };

const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const INDEX = /^-?\d+$/;
const SLICE = /^(-?\d*):(-?\d*)(?::(\d*))?$/;
/** jsonpath-plus takes a filter that has `[(` or `'(` for a nested filter (see its _trace). */
const NESTED_FILTER = /@.?([^?]*)[['](\??\(.*?\))(?!.\)\])[\]']/u;
const MAX_PATH_CHARS = 1024;

class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === quote) return { value, end: i + 1 };
    if (char === '\\') {
      i += 1;
      value += text[i] ?? '';
    } else value += char;
  }
  throw new PathSyntaxError('unterminated string', start);
}

/** The text of a filter `?( … )` up to its closing parenthesis, honouring strings and nesting. */
function readFilter(text: string, start: number): { source: string; end: number } {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'" || char === '"') i = readQuoted(text, i).end - 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return { source: text.slice(start + 1, i), end: i + 1 };
  }
  throw new PathSyntaxError('unterminated filter ?(', start);
}

function parseBracket(text: string, start: number): { segment: Segment; end: number } {
  const i = start + 1;
  if (text.startsWith('?(', i)) {
    const { source, end } = readFilter(text, i + 1);
    if (text[end] !== ']') throw new PathSyntaxError('expected ] after the filter', end);
    if (source.includes('_$_') || NESTED_FILTER.test(source))
      throw new PathSyntaxError('filters may not nest or hold strings that start with (', i);
    try {
      return { segment: { type: 'filter', text: `?(${source})`, filter: parseFilter(source) }, end: end + 1 };
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw new PathSyntaxError(`in the filter: ${error.message}`, i);
      throw error;
    }
  }
  if (text[i] === "'" || text[i] === '"') {
    const { value, end } = readQuoted(text, i);
    if (text[end] !== ']')
      throw new PathSyntaxError('expected ] after a quoted key (unions of keys are not supported)', end);
    return { segment: { type: 'name', name: value }, end: end + 1 };
  }
  const close = text.indexOf(']', i);
  if (close < 0) throw new PathSyntaxError('expected ]', i);
  const inner = text.slice(i, close);
  if (inner === '*') return { segment: { type: 'wildcard' }, end: close + 1 };
  if (INDEX.test(inner)) {
    if (inner.startsWith('-'))
      throw new PathSyntaxError(`index ${inner}: use the slice [${inner}:] to count from the end`, i);
    return { segment: { type: 'index', index: Number(inner) }, end: close + 1 };
  }
  if (SLICE.test(inner)) return { segment: { type: 'slice', text: inner }, end: close + 1 };
  if (inner.split(',').every((part) => INDEX.test(part)))
    return { segment: { type: 'union', text: inner }, end: close + 1 };
  throw new PathSyntaxError(
    `${JSON.stringify(inner)} in [ ] is not *, an index, a slice, quoted keys or a filter ?( )`,
    i,
  );
}

function parseSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  let i = 1;
  const name = (at: number): { name: string; end: number } | undefined => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    return match ? { name: match[0], end: NAME.lastIndex } : undefined;
  };
  while (i < text.length) {
    const char = text[i];
    if (segments.at(-1)?.type === 'keys') throw new PathSyntaxError('~ must end the path', i - 1);
    if (char === '~') {
      segments.push({ type: 'keys' });
      i += 1;
    } else if (char === '[') {
      const { segment, end } = parseBracket(text, i);
      segments.push(segment);
      i = end;
    } else if (char === '.') {
      const descendants = text[i + 1] === '.';
      if (descendants) segments.push({ type: 'descendants' });
      i += descendants ? 2 : 1;
      if (text[i] === '*') {
        segments.push({ type: 'wildcard' });
        i += 1;
      } else if (descendants && text[i] === '[') {
        continue;
      } else {
        const found = name(i);
        if (!found) throw new PathSyntaxError('expected a field name, * or [ after .', i);
        segments.push({ type: 'name', name: found.name });
        i = found.end;
      }
    } else {
      throw new PathSyntaxError(
        `unexpected ${JSON.stringify(char)}; use ['key'] for keys with other characters`,
        i,
      );
    }
  }
  return segments;
}

/** How jsonpath-plus names each segment in JSONPath.toPathArray. */
function pathArrayEntry(segment: Segment): string {
  switch (segment.type) {
    case 'name':
      return segment.name;
    case 'index':
      return String(segment.index);
    case 'wildcard':
      return '*';
    case 'descendants':
      return '..';
    case 'keys':
      return '~';
    case 'union':
    case 'slice':
    case 'filter':
      return segment.text;
  }
}

/** Parses a JSONPath; `$`-rooted unless `relative` is allowed (then `@` means the rule's subject). */
export function parseJsonPath(text: string, options: { allowRelative?: boolean } = {}): ParsedPath {
  if (text.length > MAX_PATH_CHARS)
    return { ok: false, problem: `is longer than ${MAX_PATH_CHARS} characters` };
  const root = text[0];
  if (root !== '$' && !(root === '@' && options.allowRelative)) {
    return {
      ok: false,
      problem: options.allowRelative
        ? 'must start with $ (the object) or @ (the subject)'
        : 'must start with $',
    };
  }
  let segments: Segment[];
  try {
    segments = parseSegments(text);
  } catch (error) {
    if (!(error instanceof PathSyntaxError)) throw error;
    return { ok: false, problem: `is not a JSONPath: ${error.message} at character ${error.position + 1}` };
  }
  const ours = ['$', ...segments.map(pathArrayEntry)];
  const theirs = JSONPath.toPathArray(`$${text.slice(1)}`);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    return {
      ok: false,
      problem: `is read differently by jsonpath-plus (${JSON.stringify(theirs.slice(1))}); quote keys with ['key']`,
    };
  }
  return { ok: true, path: withSegments(text, root === '@', segments) };
}

function withSegments(source: string, relative: boolean, segments: Segment[]): JsonPath {
  const plain = segments.every((s) => s.type === 'name' || s.type === 'index');
  const plainSteps = plain
    ? segments.map((s) => ({ key: s.type === 'name' ? s.name : (s as { index: number }).index, named: true }))
    : [];
  const simple = segments.every(
    (s, i) =>
      s.type === 'name' ||
      s.type === 'index' ||
      s.type === 'wildcard' ||
      // jsonpath-plus answers the key of an index as a string (`[1]~` is "1"); that case goes through it.
      (s.type === 'keys' && i === segments.length - 1 && segments[i - 1]?.type !== 'index'),
  );
  return { source, relative, segments, plain, plainSteps, simple };
}

function child(container: unknown, key: string | number): { present: boolean; value: unknown } {
  if (typeof key === 'number')
    return Array.isArray(container) && key < container.length
      ? { present: true, value: container[key] }
      : { present: false, value: undefined };
  return isRecord(container) && Object.hasOwn(container, key)
    ? { present: true, value: container[key] }
    : { present: false, value: undefined };
}

/** Reads a plain path directly: the hot path of every policy, so it allocates only the answer. */
function readPlain(path: JsonPath, root: PathNode): PathNode {
  let value = root.value;
  let present = root.present;
  let container = root.container;
  for (const { key } of path.plainSteps) {
    container = value;
    if (!present) break;
    if (typeof key === 'number') present = Array.isArray(value) && key < value.length;
    else present = isRecord(value) && Object.hasOwn(value, key);
    value = present ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  const steps = root.steps.length === 0 ? path.plainSteps : [...root.steps, ...path.plainSteps];
  return { value: present ? value : undefined, present, steps, container };
}

/** Evaluates jsonpath-plus filters with the parsed expression instead of its script interpreter. */
function filterEvaluator(filters: ReadonlyMap<string, FilterNode>) {
  return (code: string, context: { _$_v?: unknown }): boolean => {
    const filter = filters.get(code.replaceAll('_$_v', '@'));
    if (!filter) throw new Error(`filter ${code} was not parsed`);
    return holds(filter, context._$_v);
  };
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Steps of a jsonpath-plus result: array positions become numbers; names written in the path are named. */
function stepsOf(path: JsonPath, root: unknown, keys: string[]): Step[] {
  const aligned = !path.segments.some((s) => s.type === 'descendants');
  let container = root;
  return keys.map((raw, position) => {
    const key = Array.isArray(container) ? Number(raw) : raw;
    container = child(container, key).value;
    const segment = aligned ? path.segments[position] : undefined;
    const named = aligned ? segment?.type === 'name' : /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw);
    return { key, named };
  });
}

interface ResultEntry {
  pointer: string;
  value: unknown;
  parent: unknown;
}

/** The nodes `path` selects from `root` (the object for `$` paths, the subject for `@` paths). */
export function select(path: JsonPath, root: PathNode): PathNode[] {
  if (path.plain) {
    const node = readPlain(path, root);
    return [node];
  }
  if (!root.present) return [];
  if (path.simple) return walk(path, root);
  const filters = new Map(
    path.segments.flatMap((s) => (s.type === 'filter' ? [[s.text.slice(2, -1), s.filter] as const] : [])),
  );
  const keysOnly = path.segments.at(-1)?.type === 'keys';
  const results = JSONPath({
    path: `$${path.source.slice(1)}`,
    json: root.value as object,
    resultType: 'all',
    wrap: true,
    eval: filterEvaluator(filters),
  }) as ResultEntry[] | undefined;
  // jsonpath-plus answers undefined rather than [] for a null or scalar root.
  return (results ?? []).map((entry) => {
    const steps = [...root.steps, ...stepsOf(path, root.value, decodePointer(entry.pointer))];
    // For `~` the entry is the key itself; its container is the map, reached through the steps.
    const container = keysOnly ? undefined : entry.parent;
    return { value: entry.value, present: true, steps, container };
  });
}

function entriesOf(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((entry, index) => [index, entry]);
  return isRecord(value) ? Object.entries(value) : [];
}

/** Walks a simple path (see `simple`): the nodes jsonpath-plus would select, in the same order. */
function walk(path: JsonPath, root: PathNode): PathNode[] {
  let nodes: PathNode[] = [root];
  for (const segment of path.segments) {
    const next: PathNode[] = [];
    for (const node of nodes) {
      if (segment.type === 'keys') {
        const key = node.steps.at(-1)?.key;
        if (key !== undefined) next.push({ value: key, present: true, steps: node.steps });
        continue;
      }
      const children =
        segment.type === 'wildcard'
          ? entriesOf(node.value)
          : segment.type === 'name'
            ? isRecord(node.value) && Object.hasOwn(node.value, segment.name)
              ? [[segment.name, node.value[segment.name]] as [string, unknown]]
              : []
            : Array.isArray(node.value) && (segment as { index: number }).index < node.value.length
              ? [
                  [
                    (segment as { index: number }).index,
                    node.value[(segment as { index: number }).index],
                  ] as [number, unknown],
                ]
              : [];
      for (const [key, value] of children)
        next.push({
          value,
          present: true,
          steps: [...node.steps, { key, named: segment.type === 'name' }],
          container: node.value,
        });
    }
    nodes = next;
  }
  return nodes;
}

export function rootNode(object: unknown): PathNode {
  return { value: object, present: object !== undefined, steps: [] };
}

/** The canonical text of a segment, which jsonpath-plus reads back as the same segment. */
function segmentText(segment: Segment): string {
  const entry = pathArrayEntry(segment);
  if (segment.type === 'descendants' || segment.type === 'keys') return entry;
  return segment.type === 'name' ? `[${JSON.stringify(entry)}]` : `[${entry}]`;
}

/** The path to the parent of what `path` names, and the field name it ends with (undefined otherwise). */
export function splitLastName(path: JsonPath): { parent: JsonPath; name: string } | undefined {
  const last = path.segments.at(-1);
  if (last?.type !== 'name' || path.segments.at(-2)?.type === 'descendants') return undefined;
  const segments = path.segments.slice(0, -1);
  const source = `${path.relative ? '@' : '$'}${segments.map(segmentText).join('')}`;
  return { parent: withSegments(source, path.relative, segments), name: last.name };
}
