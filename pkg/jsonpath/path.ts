/**
 * prismgate's one JSONPath, in the three dialects it serves:
 *
 *   policy paths       `$.spec.containers[?(@.name == 'app')].image`, `@.x`, `$..image`, `$.data.*~`
 *                      (parse.ts; evaluated with jsonpath-plus's reading, which served them before)
 *   kAppNav's subset   `$.metadata.annotations['kappnav.subkind']` in `${resource.…}` and status maps
 *                      (parse.ts, the policy scanner restricted to names)
 *   kubectl templates  `{range .items[*]}{.metadata.name}{"\n"}{end}` in `kubectlGet(…, -o, jsonpath=…)`
 *                      (kubectl-template.ts, client-go's grammar and reading)
 *
 * All three parse to the segments below and are evaluated by select.ts, bounded by construction by a
 * WorkMeter (work-meter.ts): a path that would walk or select too much of an object fails with a
 * JsonPathLimitExceeded after a bounded amount of work and memory, which each caller maps to its own
 * failure mode. No dialect has regular expressions; filters are parsed into a small expression language.
 */
import type { FilterExpression } from './filter-expression.ts';

/** A kubectl filter operand or action part that is not a path: `"text"`, `3`, `1.5`, `true`. */
export type Literal = string | number | boolean;

export type Segment =
  | { readonly type: 'name'; readonly name: string }
  /** Policy paths: a position from the start. kubectl: negative counts from the end, out of range is an error. */
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'wildcard' }
  /** The node and everything below it, in document order (pre-order); the next segment applies to each. */
  | { readonly type: 'descendants' }
  | { readonly type: 'slice'; readonly start?: number; readonly end?: number; readonly step?: number }
  /** Each member path from the same node, results in member order: `[0,2]`, kubectl's `['a','b']`. */
  | { readonly type: 'union'; readonly members: readonly (readonly Segment[])[] }
  /** A policy filter `[?(@.port > 80 && @.name != 'x')]`: over the entries of a list or the values of a map. */
  | { readonly type: 'filter'; readonly source: string; readonly expression: FilterExpression }
  /** A kubectl filter `[?(@.x == "y")]`: one comparison of two paths (or `exists`), over a list. */
  | {
      readonly type: 'kubectl-filter';
      readonly source: string;
      readonly operator: KubectlOperator;
      readonly left: readonly Segment[];
      readonly right: readonly Segment[];
    }
  /** A trailing `~`: the keys (names or positions) of the selected nodes instead of their values. */
  | { readonly type: 'keys' }
  /** kubectl: every node becomes this value (`{3}`, `{"text"}`, the right side of a filter). */
  | { readonly type: 'literal'; readonly value: Literal };

export type KubectlOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'exists';

/**
 * How the dialect reads the data, beyond its syntax. Policy paths read like jsonpath-plus, which served
 * them before (a property test holds the two together): what is not there selects nothing. kubectl's
 * reading is client-go's: an index out of range, or on something that is not a list, is an error.
 */
export type Reading = 'lenient' | 'kubectl';

export interface JsonPath {
  readonly source: string;
  /** `@`: starts at the subject given to select rather than at the object. */
  readonly relative: boolean;
  readonly segments: readonly Segment[];
  readonly reading: Reading;
  /** Names and indexes only: selects at most one node, read directly (the hot path of every policy). */
  readonly plain: boolean;
  /** For a plain path, its steps, computed once. */
  readonly plainSteps: readonly Step[];
  /**
   * Has a descendants segment: steps are then named by what they look like (identifiers are written as
   * names), because what the path named and what the walk found no longer line up one to one.
   */
  readonly descends: boolean;
}

export interface Step {
  readonly key: string | number;
  /** Written as a name in the path (rendered `.name`); keys found by a wildcard or filter are data. */
  readonly named: boolean;
}

export interface PathNode {
  readonly value: unknown;
  readonly present: boolean;
  readonly steps: readonly Step[];
  /** The array or map holding the node, when there is one. */
  readonly container?: unknown;
}

/** The root node of `object`: what `$` starts from. */
export function rootNode(object: unknown): PathNode {
  return { value: object, present: object !== undefined, steps: [] };
}

export function isPlain(segments: readonly Segment[]): boolean {
  return segments.every((s) => s.type === 'name' || s.type === 'index');
}

/** A JsonPath from its parts; a plain path's steps are worked out once here. */
export function jsonPath(
  source: string,
  relative: boolean,
  segments: readonly Segment[],
  reading: Reading,
): JsonPath {
  // kubectl's reading has errors a direct read would not raise; its paths take the general walk.
  const plain = reading === 'lenient' && isPlain(segments);
  const plainSteps = plain
    ? segments.map((s) => ({ key: s.type === 'name' ? s.name : (s as { index: number }).index, named: true }))
    : [];
  const descends = segments.some((s) => s.type === 'descendants');
  return { source, relative, segments, reading, plain, plainSteps, descends };
}
