/**
 * Policies written by a hostile namespace editor (issue 15, finding 1): a JSONPath whose selection grows
 * exponentially with the depth of the object, and a policy of a thousand RE2 patterns. Each must cost a
 * bounded amount of heap and event-loop time; the first fails the policy as its failurePolicy says, the
 * second is refused when the policy is applied.
 */
import { describe, expect, it } from 'vitest';
import { measureWork } from '../../../test/support/bounded-work.ts';
import { policyResource, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';
import { validateWith, validationVerdict, type ValidationResult } from './evaluate.ts';
import { compilePolicy, type CompiledPolicy } from './policy.ts';

const APPLICATIONS = { resources: [{ apiGroups: ['app.k8s.io'], kinds: ['Application'] }] };
/** Generous safety bounds, far above what bounded work needs and far below what the unbounded work cost. */
const MAX_HEAP_GROWTH_MIB = 256;
const MAX_STALL_MS = 1000;

function policy(spec: Record<string, unknown>): CompiledPolicy {
  const result = compilePolicy(policyResource(spec, 'deep', 'AdmissionPolicy', 'dev'));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.policy;
}

/** An Application of about 640 bytes at 40 levels, nested under spec.descriptor as in the finding. */
function nestedApplication(levels: number) {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = { a: value, b: 1 };
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: { name: 'deep', namespace: 'dev' },
    spec: { descriptor: value },
  };
}

describe('a descendant path over a deeply nested object (issue 15, finding 1)', () => {
  const spec = (failurePolicy: string) => ({
    action: 'Enforce',
    failurePolicy,
    timeoutMilliseconds: 50,
    match: APPLICATIONS,
    validate: [{ name: 'deep', assert: [{ path: '$..*..*..*..*', operator: 'Exists' }] }],
  });

  it.each([40, 60])(
    'fails the policy after bounded work at %i levels, as its failurePolicy says',
    async (levels) => {
      const object = nestedApplication(levels);
      const failClosed = policy(spec('Fail'));
      const cost = await measureWork(() => validateWith(failClosed, reviewOf(object)));
      expect(cost.heapGrowthMiB).toBeLessThan(MAX_HEAP_GROWTH_MIB);
      expect(cost.maxEventLoopDelayMs).toBeLessThan(MAX_STALL_MS);
      const result = cost.result as ValidationResult;
      // Its work limits stop it in about 20 ms; on a loaded machine its 50 ms budget may do so first.
      expect(result.error).toMatch(
        /^policy dev\/deep (failed: JSONPath \$\.\.\*\.\.\*\.\.\*\.\.\* selects more than 10000 nodes|did not finish within its budget of 50 ms)/,
      );
      expect(validationVerdict([result]).denials).toEqual([`${result.error} (failing closed)`]);

      const ignored = validateWith(policy(spec('Ignore')), reviewOf(object));
      expect(validationVerdict([ignored])).toEqual({ denials: [], warnings: [ignored.error] });
    },
  );
});

describe('a policy of a thousand RE2 patterns (issue 15, finding 1)', () => {
  const assertions = Array.from({ length: 1000 }, (_, i) => ({
    path: `$.metadata.labels['k${i}']`,
    operator: 'Matches',
    value: `^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,${10 + (i % 50)}}$`,
  }));

  it('is refused when applied, naming the field, the value and the limit, after bounded work', async () => {
    const cost = await measureWork(() =>
      compilePolicy(
        policyResource(
          { match: APPLICATIONS, validate: [{ name: 'many', assert: assertions }] },
          'many',
          'AdmissionPolicy',
          'dev',
        ),
      ),
    );
    expect(cost.maxEventLoopDelayMs).toBeLessThan(MAX_STALL_MS);
    expect(cost.heapGrowthMiB).toBeLessThan(MAX_HEAP_GROWTH_MIB);
    expect(cost.result).toMatchObject({ ok: false });
    const problems = (cost.result as { problems: readonly string[] }).problems;
    expect(problems[0]).toMatch(
      /^spec\.validate\[0\]\.assert\[\d+\]\.value "\^\(\?:.*": is one pattern too many: a policy may hold at most \d+ regular expressions/,
    );
  });
});
