/**
 * Whatever a policy author writes and whatever object is reviewed, compiling and evaluating a policy
 * costs a bounded amount of heap and event-loop time (issue 15): a property over generated JSONPaths of
 * the whole policy grammar (hostile ones like `$..*..*..*` among them), RE2 patterns (wide counted
 * repetitions, Unicode classes, the classic backtracking shapes) and objects (deeply nested, wide, with
 * long strings). The budget is the largest a policy may ask for, so what bounds the work is the
 * construction (work meter, result cap, pattern limits), not the clock. A policy that runs out fails as
 * its failurePolicy says. The bounds are generous safety bounds, not speed assertions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureWork } from '../../../test/support/bounded-work.ts';
import { policyResource, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';
import { validateWith, validationVerdict } from './evaluate.ts';
import { compilePolicy } from './policy.ts';

const MAX_HEAP_GROWTH_MIB = 512;
const MAX_STALL_MS = 1000;
/** What a policy that runs out of its bounds may say. */
const BOUNDED_FAILURE =
  /^policy fuzz (did not finish within its budget|failed: ((JSONPath .*|the evaluation) (needs more than \d+ steps|selects more than \d+ nodes)|pattern .* is not run on a value))/;

function nested(levels: number, width: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) {
    const level: Record<string, unknown> = { a: value };
    for (let k = 1; k < width; k++) level[`k${k}`] = [k, { b: k }];
    value = level;
  }
  return value;
}

const text = fc
  .tuple(fc.constantFrom('a', 'ab', 'é1-', 'aaaa!', 'x'), fc.integer({ min: 0, max: 200_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const value = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 3 })).map(([l, w]) => nested(l, w)),
  fc.integer({ min: 0, max: 5000 }).map((n) => Array.from({ length: n }, (_, i) => ({ a: `v${i}`, b: i }))),
  fc
    .integer({ min: 0, max: 5000 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]))),
  text,
  fc.jsonValue({ maxDepth: 6 }),
);

const object = fc.record({ a: value, b: value }).map((spec) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'fuzz', namespace: 'dev' },
  spec,
}));

const segment = fc.constantFrom(
  '.a',
  '.b',
  '.spec',
  '[0]',
  '[*]',
  '.*',
  '..*',
  '..a',
  '..[0]',
  '..b',
  '[?(@.a)]',
  '[?(@.b == 1 || @.a != "x")]',
  '[1:]',
  '[-2:]',
  '[0,1]',
);
const path = fc.array(segment, { minLength: 1, maxLength: 8 }).map((segments) => `$${segments.join('')}`);

const piece = fc.constantFrom(
  'a',
  '[ab]',
  '.',
  '\\pL',
  '(a|b)',
  '(x+x+)+',
  'a*',
  '.*',
  '\\w+',
  '[ab]{999}',
  '.{500}',
  '(\\pL|\\pN){300}',
  '(a+)+',
  '(?i)é',
  '[^x]{1,1000}',
);
const pattern = fc
  .tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([start, pieces, end]) => `${start ? '^' : ''}${pieces.join('')}${end ? '$' : ''}`);

const policy = fc.record({ forEach: path, path, pattern, patterns: fc.integer({ min: 1, max: 110 }) });

function policyOf(written: { forEach: string; path: string; pattern: string; patterns: number }) {
  return policyResource(
    {
      action: 'Enforce',
      failurePolicy: 'Fail',
      // The largest budget a policy may ask for: what bounds the work is the construction, not the clock.
      timeoutMilliseconds: 2000,
      match: { resources: [{ apiGroups: [''], kinds: ['ConfigMap'] }] },
      validate: [
        {
          name: 'fuzz',
          forEach: written.forEach,
          assert: [
            ...Array.from({ length: written.patterns }, (_, i) => ({
              path: '@',
              operator: 'Matches',
              value: i === 0 ? written.pattern : `${written.pattern}|${i}`,
            })),
            { path: written.path, operator: 'Exists' },
          ],
          schema: {
            type: ['string', 'object', 'array', 'number', 'boolean', 'null'],
            pattern: written.pattern,
          },
        },
      ],
    },
    'fuzz',
  );
}

describe('bounded policy evaluation (property)', () => {
  it(
    'compiles and evaluates any policy on any object within bounded heap and event-loop delay',
    { timeout: 300_000 },
    async () => {
      let maxHeapGrowthMiB = 0;
      let maxStallMs = 0;
      const record = (cost: { heapGrowthMiB: number; maxEventLoopDelayMs: number }) => {
        maxHeapGrowthMiB = Math.max(maxHeapGrowthMiB, cost.heapGrowthMiB);
        maxStallMs = Math.max(maxStallMs, cost.maxEventLoopDelayMs);
      };
      await fc.assert(
        fc.asyncProperty(policy, object, async (written, reviewed) => {
          const compiling = await measureWork(() => compilePolicy(policyOf(written)));
          record(compiling);
          const compiled = compiling.result;
          if (compiled instanceof Error) throw compiled;
          if (!compiled.ok) {
            expect(compiled.problems.length).toBeGreaterThan(0);
            return;
          }
          const evaluating = await measureWork(() => validateWith(compiled.policy, reviewOf(reviewed)));
          record(evaluating);
          const result = evaluating.result;
          if (result instanceof Error) throw result;
          if (result.error) {
            expect(result.error).toMatch(BOUNDED_FAILURE);
            expect(validationVerdict([result]).denials).toEqual([`${result.error} (failing closed)`]);
          }
        }),
        { numRuns: 120 },
      );
      expect(maxHeapGrowthMiB).toBeLessThan(MAX_HEAP_GROWTH_MIB);
      expect(maxStallMs).toBeLessThan(MAX_STALL_MS);
    },
  );
});
