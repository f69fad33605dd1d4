/**
 * Parsing JSONPaths of two dialects with one scanner: policy paths, strictly (a typo must not silently
 * turn a rule off, so what the grammar does not describe is refused with the position), and kAppNav's
 * subset (`${resource.<path>}`, status maps) as the same scan restricted to names.
 *
 * Policy paths:
 *
 *   path     := ('$' | '@') segment* '~'?
 *   segment  := '.' name | '.*' | '..' (name | '*' | bracket) | bracket
 *   bracket  := '[' ( '*' | index (',' index)* | start? ':' end? (':' step)? | 'key' | "key" | '?(' filter ')' ) ']'
 *   name     := [A-Za-z_][A-Za-z0-9_-]*
 *
 * `$` is the object, `@` a rule's subject; a trailing `~` selects the keys of a map instead of its values.
 * Filters are parsed by filter-expression.ts.
 *
 * kAppNav's subset (kappnav-prism.md §3.6(e), §7.4, the Java JSONPathParser): `$` followed by `.name`
 * (any characters but `.`, `[`, `]` and `'`) and `['name']` steps; no indexes, filters, wildcards or `..`.
 */
import { FilterSyntaxError, parseFilter } from './filter-expression.ts';
import { jsonPath, type JsonPath, type Segment } from './path.ts';

export type ParsedPath = { ok: true; path: JsonPath } | { ok: false; problem: string };

/** Longer paths are almost certainly generated or pasted by mistake. */
export const MAX_PATH_CHARS = 1024;

const POLICY_NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;
const KAPPNAV_NAME = /[^.[\]']+/y;
const INDEX = /^-?\d+$/;
const SLICE = /^(-?\d*):(-?\d*)(?::(\d*))?$/;

interface Dialect {
  /** What a name after `.` is. */
  readonly name: RegExp;
  /** Everything beyond `.name` and `['name']`: wildcards, indexes, slices, unions, filters, `..`, `~`. */
  readonly full: boolean;
  /** Quoted keys may use either quote and backslash escapes (else `'…'` only, taken as written). */
  readonly escapes: boolean;
}

const POLICY: Dialect = { name: POLICY_NAME, full: true, escapes: true };
const KAPPNAV: Dialect = { name: KAPPNAV_NAME, full: false, escapes: false };

class PathSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function readQuoted(text: string, start: number, escapes: boolean): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === quote) return { value, end: i + 1 };
    if (char === '\\' && escapes) {
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
    if (char === "'" || char === '"') i = readQuoted(text, i, true).end - 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return { source: text.slice(start + 1, i), end: i + 1 };
  }
  throw new PathSyntaxError('unterminated filter ?(', start);
}

function bracketOfQuotedKey(text: string, i: number, dialect: Dialect): { segment: Segment; end: number } {
  const { value, end } = readQuoted(text, i, dialect.escapes);
  if (text[end] !== ']')
    throw new PathSyntaxError('expected ] after a quoted key (unions of keys are not supported)', end);
  if (value === '' && !dialect.full) throw new PathSyntaxError('expected a key', i);
  return { segment: { type: 'name', name: value }, end: end + 1 };
}

function filterBracket(text: string, i: number): { segment: Segment; end: number } {
  const { source, end } = readFilter(text, i + 1);
  if (text[end] !== ']') throw new PathSyntaxError('expected ] after the filter', end);
  try {
    return { segment: { type: 'filter', source, expression: parseFilter(source) }, end: end + 1 };
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new PathSyntaxError(`in the filter: ${error.message}`, i);
    throw error;
  }
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : Number(text);
}

function parseBracket(text: string, start: number, dialect: Dialect): { segment: Segment; end: number } {
  const i = start + 1;
  if (text[i] === "'" || (text[i] === '"' && dialect.escapes)) return bracketOfQuotedKey(text, i, dialect);
  if (!dialect.full) throw new PathSyntaxError("expected ['name']", start);
  if (text.startsWith('?(', i)) return filterBracket(text, i);
  const close = text.indexOf(']', i);
  if (close < 0) throw new PathSyntaxError('expected ]', i);
  const inner = text.slice(i, close);
  const end = close + 1;
  if (inner === '*') return { segment: { type: 'wildcard' }, end };
  if (INDEX.test(inner)) {
    if (inner.startsWith('-'))
      throw new PathSyntaxError(`index ${inner}: use the slice [${inner}:] to count from the end`, i);
    return { segment: { type: 'index', index: Number(inner) }, end };
  }
  const slice = SLICE.exec(inner);
  if (slice) {
    const [, from, to, step] = slice;
    return {
      segment: {
        type: 'slice',
        start: optionalNumber(from),
        end: optionalNumber(to),
        step: optionalNumber(step),
      },
      end,
    };
  }
  const parts = inner.split(',');
  if (parts.every((part) => INDEX.test(part)))
    return {
      segment: { type: 'union', members: parts.map((part) => [{ type: 'index', index: Number(part) }]) },
      end,
    };
  throw new PathSyntaxError(
    `${JSON.stringify(inner)} in [ ] is not *, an index, a slice, quoted keys or a filter ?( )`,
    i,
  );
}

/** `.name`, `.*`, or after `..` also `[…]`; `at` is just past the dot(s). */
function parseDotted(
  text: string,
  at: number,
  descendants: boolean,
  dialect: Dialect,
): { segment?: Segment; end: number } {
  if (dialect.full && text[at] === '*') return { segment: { type: 'wildcard' }, end: at + 1 };
  if (descendants && text[at] === '[') return { end: at };
  dialect.name.lastIndex = at;
  const match = dialect.name.exec(text);
  if (!match) throw new PathSyntaxError(`expected a field name${dialect.full ? ', * or [' : ''} after .`, at);
  return { segment: { type: 'name', name: match[0] }, end: dialect.name.lastIndex };
}

function parseSegments(text: string, dialect: Dialect): Segment[] {
  const segments: Segment[] = [];
  let i = 1;
  while (i < text.length) {
    const char = text[i];
    if (segments.at(-1)?.type === 'keys') throw new PathSyntaxError('~ must end the path', i - 1);
    if (char === '~' && dialect.full) {
      segments.push({ type: 'keys' });
      i += 1;
    } else if (char === '[') {
      const { segment, end } = parseBracket(text, i, dialect);
      segments.push(segment);
      i = end;
    } else if (char === '.') {
      const descendants = text[i + 1] === '.' && dialect.full;
      if (descendants) segments.push({ type: 'descendants' });
      const { segment, end } = parseDotted(text, i + (descendants ? 2 : 1), descendants, dialect);
      if (segment) segments.push(segment);
      i = end;
    } else {
      throw new PathSyntaxError(
        `unexpected ${JSON.stringify(char)}${dialect.full ? "; use ['key'] for keys with other characters" : ''}`,
        i,
      );
    }
  }
  return segments;
}

function parse(
  text: string,
  dialect: Dialect,
  allowRelative: boolean,
): { segments: Segment[]; relative: boolean } | string {
  if (text.length > MAX_PATH_CHARS) return `is longer than ${MAX_PATH_CHARS} characters`;
  const root = text[0];
  if (root !== '$' && !(root === '@' && allowRelative))
    return allowRelative ? 'must start with $ (the object) or @ (the subject)' : 'must start with $';
  try {
    return { segments: parseSegments(text, dialect), relative: root === '@' };
  } catch (error) {
    if (!(error instanceof PathSyntaxError)) throw error;
    return `is not a JSONPath: ${error.message} at character ${error.position + 1}`;
  }
}

/** Parses a policy JSONPath; `$`-rooted unless `relative` is allowed (then `@` means the rule's subject). */
export function parseJsonPath(text: string, options: { allowRelative?: boolean } = {}): ParsedPath {
  const parsed = parse(text, POLICY, options.allowRelative ?? false);
  if (typeof parsed === 'string') return { ok: false, problem: parsed };
  return { ok: true, path: jsonPath(text, parsed.relative, parsed.segments, 'lenient') };
}

/** The member names of a path in kAppNav's subset, or undefined when it is not in the subset. */
export function parseKappnavPath(text: string): string[] | undefined {
  const parsed = parse(text, KAPPNAV, false);
  if (typeof parsed === 'string') return undefined;
  return parsed.segments.map((segment) => (segment as { name: string }).name);
}

/** The canonical text of a segment of a policy path, which parseJsonPath reads back as the same segment. */
function segmentText(segment: Segment): string {
  switch (segment.type) {
    case 'name':
      return `[${JSON.stringify(segment.name)}]`;
    case 'index':
      return `[${segment.index}]`;
    case 'wildcard':
      return '[*]';
    case 'descendants':
      return '..';
    case 'keys':
      return '~';
    case 'slice':
      return `[${segment.start ?? ''}:${segment.end ?? ''}${segment.step === undefined ? '' : `:${segment.step}`}]`;
    case 'union':
      return `[${segment.members.map((member) => member.map(segmentText).join('').slice(1, -1)).join(',')}]`;
    case 'filter':
      return `[?(${segment.source})]`;
    case 'kubectl-filter':
    case 'literal':
      throw new Error(`a policy path has no ${segment.type} segment`);
  }
}

/** The path to the parent of what `path` names, and the field name it ends with (undefined otherwise). */
export function splitLastName(path: JsonPath): { parent: JsonPath; name: string } | undefined {
  const last = path.segments.at(-1);
  if (last?.type !== 'name' || path.segments.at(-2)?.type === 'descendants') return undefined;
  const segments = path.segments.slice(0, -1);
  const source = `${path.relative ? '@' : '$'}${segments.map(segmentText).join('')}`;
  return { parent: jsonPath(source, path.relative, segments, path.reading), name: last.name };
}
