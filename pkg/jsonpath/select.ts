/**
 * Evaluating a parsed JSONPath: the nodes it selects, in document order, each with its value, its
 * container and (when asked for) its steps from the root.
 *
 * Bounded by construction: the walk is depth-first over the segments and counts every node it reaches,
 * every child it enumerates and every filter it tests on a WorkMeter, and the results of one path are
 * capped; so no path, over no object, costs more than the meter allows, whatever the nesting (a path
 * like `$..*..*..*..*` selects a number of nodes that grows with the fourth power of the depth). Steps
 * are kept as a chain shared between a node and its children, and become arrays only for the results a
 * caller reads them from (a message names the failing node), so a result costs the same at any depth.
 *
 * A plain path (names and indexes, lenient reading) is read directly: it selects at most one node, and
 * when it selects none, an absent node at that path is still answered so a rule can say what is missing.
 *
 * Why not a library: jsonpath-plus, which evaluated policy paths and kubectl templates before, offers no
 * way to count or stop its walk (one 640-byte object took it 2.6 GiB), and the well-kept alternatives
 * limit at most the depth of `..`, which does not bound chained descents; none reads kubectl's dialect.
 * jsonpath-plus stays as the oracle of a property test (select.test.ts) for the policy dialect.
 */
import { isRecord } from '../json/json-value.ts';
import { holds } from './filter-expression.ts';
import type { JsonPath, KubectlOperator, PathNode, Segment, Step } from './path.ts';
import { JsonPathLimitExceeded, WorkMeter } from './work-meter.ts';

/** An error of kubectl's reading (an index out of range, a comparison of a string with a number). */
export class KubectlPathError extends Error {
  override readonly name = 'KubectlPathError';
}

/** Steps as a chain from the node back to the root: children share their parent's chain. */
interface Trail {
  readonly step: Step;
  readonly parent: Trail | undefined;
}

/** A node found by the walk; `steps` is worked out from the trail the first time it is read. */
class FoundNode implements PathNode {
  readonly present = true;
  private materialized: readonly Step[] | undefined;

  constructor(
    readonly value: unknown,
    readonly container: unknown,
    private readonly base: readonly Step[],
    readonly trail: Trail | undefined,
    /** The node a `~` answers the key of (the node itself otherwise). */
    private readonly keyed?: FoundNode,
  ) {}

  get steps(): readonly Step[] {
    if (this.keyed) return this.keyed.steps;
    if (this.materialized) return this.materialized;
    const reversed: Step[] = [];
    for (let at = this.trail; at; at = at.parent) reversed.push(at.step);
    this.materialized = reversed.length === 0 ? this.base : [...this.base, ...reversed.reverse()];
    return this.materialized;
  }

  /** The key of the last step: what `~` selects. */
  lastKey(): string | number | undefined {
    return this.trail ? this.trail.step.key : this.base.at(-1)?.key;
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Walk {
  readonly path: JsonPath;
  readonly meter: WorkMeter;
  readonly results: PathNode[];
  readonly base: readonly Step[];
}

/** A child of `node` at `key`, reached by a segment that named it (or found it, when `named` is false). */
function childOf(
  walk: Walk,
  node: FoundNode,
  key: string | number,
  value: unknown,
  named: boolean,
): FoundNode {
  walk.meter.spend(1);
  // With `..` in the path, what a step was named by is lost; identifiers read as names (`spec.image`).
  const isName = walk.path.descends ? typeof key === 'string' && IDENTIFIER.test(key) : named;
  const trail: Trail = { step: { key, named: isName }, parent: node.trail };
  return new FoundNode(value, node.value, walk.base, trail);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a map';
  return `a ${typeof value}`;
}

function listOrFail(walk: Walk, value: unknown, what: string): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (walk.path.reading === 'kubectl' && value !== null && value !== undefined)
    throw new KubectlPathError(`${typeName(value)} is not a list and cannot ${what}`);
  return undefined;
}

/** The positions a slice selects in a list of `length` (jsonpath-plus's reading, or kubectl's). */
function slicePositions(
  walk: Walk,
  segment: Segment & { type: 'slice' | 'index' },
  length: number,
): number[] {
  if (walk.path.reading === 'kubectl') return kubectlSlice(segment, length);
  if (segment.type === 'index') return segment.index < length ? [segment.index] : [];
  const step = segment.step || 1;
  const clamp = (at: number) => (at < 0 ? Math.max(0, at + length) : Math.min(length, at));
  const start = clamp(segment.start ?? 0);
  const end = clamp(segment.end ?? length);
  const positions: number[] = [];
  for (let i = start; i < end; i += step) positions.push(i);
  return positions;
}

/** client-go's evalArray: negative positions count from the end, and anything out of range is an error. */
function kubectlSlice(segment: Segment & { type: 'slice' | 'index' }, length: number): number[] {
  let start: number;
  let end: number;
  let step = 1;
  if (segment.type === 'index') {
    // An index is the slice [i:i+1]; a negative one counts from the end ([-1] is [len-1:len]).
    start = segment.index < 0 ? segment.index + length : segment.index;
    end = segment.index < 0 ? segment.index + 1 + length : segment.index + 1;
  } else {
    start = segment.start ?? 0;
    if (start < 0) start += length;
    end = segment.end ?? length;
    if (end < 0) end += length;
    if (segment.step !== undefined) {
      if (segment.step <= 0) throw new KubectlPathError('step must be > 0');
      step = segment.step;
    }
  }
  if (end === start) return [];
  if (start >= length || start < 0)
    throw new KubectlPathError(`array index out of bounds: index ${start}, length ${length}`);
  if (end > length || end < 0)
    throw new KubectlPathError(`array index out of bounds: index ${end - 1}, length ${length}`);
  if (start > end) throw new KubectlPathError(`starting index ${start} is greater than ending index ${end}`);
  const positions: number[] = [];
  for (let i = start; i < end; i += step) positions.push(i);
  return positions;
}

function emit(walk: Walk, node: FoundNode): void {
  if (walk.results.length >= walk.meter.limits.results)
    throw new JsonPathLimitExceeded('results', walk.meter.limits.results, walk.path.source);
  walk.results.push(node);
}

/** Applies segments[at…] to `node`, depth first, emitting what the last segment selects. */
function step(walk: Walk, segments: readonly Segment[], at: number, node: FoundNode): void {
  walk.meter.spend(1);
  if (at === segments.length) {
    emit(walk, node);
    return;
  }
  const segment = segments[at]!;
  const next = at + 1;
  const value = node.value;
  switch (segment.type) {
    case 'name': {
      if (isRecord(value) && Object.hasOwn(value, segment.name))
        step(walk, segments, next, childOf(walk, node, segment.name, value[segment.name], true));
      return;
    }
    case 'index':
    case 'slice': {
      const list = listOrFail(walk, value, 'be indexed');
      if (!list) return;
      for (const position of slicePositions(walk, segment, list.length))
        step(walk, segments, next, childOf(walk, node, position, list[position], false));
      return;
    }
    case 'wildcard': {
      forEachChild(walk, node, (child) => step(walk, segments, next, child));
      return;
    }
    case 'descendants': {
      descend(walk, node, (descendant) => step(walk, segments, next, descendant));
      return;
    }
    case 'union': {
      walk.meter.spend(segments.length);
      for (const member of segment.members) step(walk, [...member, ...segments.slice(next)], 0, node);
      return;
    }
    case 'filter': {
      forEachChild(walk, node, (child) => {
        if (holds(segment.expression, child.value, walk.meter)) step(walk, segments, next, child);
      });
      return;
    }
    case 'kubectl-filter': {
      const list = listOrFail(walk, value, 'be filtered');
      if (!list) return;
      forEachChild(walk, node, (child) => {
        if (kubectlFilterHolds(walk, segment, child)) step(walk, segments, next, child);
      });
      return;
    }
    case 'keys': {
      const key = node.lastKey();
      if (key !== undefined)
        step(walk, segments, next, new FoundNode(key, undefined, walk.base, undefined, node));
      return;
    }
    case 'literal': {
      step(walk, segments, next, new FoundNode(segment.value, undefined, walk.base, undefined));
      return;
    }
  }
}

function forEachChild(walk: Walk, node: FoundNode, visit: (child: FoundNode) => void): void {
  const value = node.value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visit(childOf(walk, node, i, value[i], false));
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) visit(childOf(walk, node, key, value[key], false));
  }
}

/**
 * `node` and everything below it, in pre-order, without recursion (an object nested thousands deep must
 * not exhaust the stack). The lenient reading visits every node, as jsonpath-plus does; kubectl's visits
 * the lists and maps that have entries, as client-go's evalRecursive does.
 */
function descend(walk: Walk, node: FoundNode, visit: (descendant: FoundNode) => void): void {
  const pending: FoundNode[] = [node];
  const everyNode = walk.path.reading === 'lenient';
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (everyNode || hasEntries(current.value)) visit(current);
    const children: FoundNode[] = [];
    forEachChild(walk, current, (child) => {
      if (typeof child.value === 'object' && child.value !== null) children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
}

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isRecord(value) && Object.keys(value).length > 0;
}

/** The values `segments` select from `node`, for one side of a kubectl filter. */
function sideValues(walk: Walk, segments: readonly Segment[], node: FoundNode): unknown[] {
  const side: Walk = { ...walk, results: [] };
  step(side, segments, 0, node);
  return side.results.map((result) => result.value);
}

function kubectlFilterHolds(
  walk: Walk,
  segment: Segment & { type: 'kubectl-filter' },
  node: FoundNode,
): boolean {
  let lefts: unknown[];
  try {
    lefts = sideValues(walk, segment.left, node);
  } catch (error) {
    // client-go ignores what the left side could not read when asking whether it exists.
    if (segment.operator === 'exists' && error instanceof KubectlPathError) return false;
    throw error;
  }
  if (segment.operator === 'exists') return lefts.length > 0;
  if (lefts.length === 0) return false;
  const rights = sideValues(walk, segment.right, node);
  if (rights.length === 0) return false;
  if (lefts.length > 1 || rights.length > 1)
    throw new KubectlPathError('can only compare one element at a time');
  return kubectlCompare(segment.operator, lefts[0], rights[0]);
}

type GoKind = 'int' | 'float' | 'string' | 'bool';

/** The kind Go's text/template compares a JSON value as: integers decode as int64, other numbers as float64. */
function goKind(value: unknown): GoKind {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  throw new KubectlPathError('invalid type for comparison');
}

/** Go text/template's eq/lt on two basic values, as client-go's filters use them. */
function kubectlCompare(
  operator: Exclude<KubectlOperator, 'exists'>,
  left: unknown,
  right: unknown,
): boolean {
  const [a, b] = [goKind(left), goKind(right)];
  if (a !== b) throw new KubectlPathError('incompatible types for comparison');
  const equal = left === right;
  if (operator === '==') return equal;
  if (operator === '!=') return !equal;
  if (a === 'bool') throw new KubectlPathError('invalid type for comparison');
  const less = (left as number | string) < (right as number | string);
  switch (operator) {
    case '<':
      return less;
    case '<=':
      return less || equal;
    case '>':
      return !less && !equal;
    case '>=':
      return !less;
  }
}

/** The value at the member names `keys` inside `root` (own members of maps only), or undefined. */
export function valueAt(root: unknown, keys: readonly string[]): unknown {
  let value = root;
  for (const key of keys) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
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

/**
 * The nodes `path` selects from `root` (the object for `$` paths, the subject for `@` paths), counted on
 * `meter`: a JsonPathLimitExceeded when the path would select or walk more than its limits allow, a
 * KubectlPathError when kubectl's reading finds the data does not fit the path.
 */
export function select(path: JsonPath, root: PathNode, meter = new WorkMeter()): PathNode[] {
  // `@` alone (an assertion on the subject itself) selects the subject as it is.
  if (path.plain) return [path.segments.length === 0 ? root : readPlain(path, root)];
  if (!root.present) return [];
  const walk: Walk = { path, meter, results: [], base: root.steps };
  try {
    step(walk, path.segments, 0, new FoundNode(root.value, root.container, root.steps, undefined));
  } catch (error) {
    throw error instanceof JsonPathLimitExceeded ? error.naming(path.source) : error;
  }
  return walk.results;
}
