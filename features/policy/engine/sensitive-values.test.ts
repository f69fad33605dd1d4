import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { mutateWith, validateWith, validationVerdict } from './evaluate.ts';
import { compilePolicy } from './policy.ts';
import { policyResource, reviewOf } from '../../../test/support/policy/policy-fixtures.ts';

/** What a masked value reads, as Kyverno's RedactSecret writes it. */
const REDACTED = '**REDACTED**';

/** Its base64 form ends in `==`, which no label value may hold. */
const PASSWORD = 'hunter2-correct-horse!';
const ENCODED = Buffer.from(PASSWORD).toString('base64');
const TOKEN = 'tok-3f9a2c';
const SECRET: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db',
    namespace: 'team-a',
    // kubectl apply (client-side) repeats the whole Secret, data included, in this annotation.
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: ENCODED } }),
    },
  },
  type: 'Opaque',
  data: { password: ENCODED, other: ENCODED },
  stringData: { token: TOKEN },
};
const LEAKS = [PASSWORD, ENCODED, ENCODED.slice(0, 12), TOKEN];

function secretPolicy(spec: Record<string, unknown>) {
  const result = compilePolicy(
    policyResource({
      action: 'Enforce',
      match: { resources: [{ apiGroups: [''], kinds: ['Secret', 'ConfigMap'] }] },
      ...spec,
    }),
  );
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.policy;
}

function deniedWith(spec: Record<string, unknown>, object: KubeObject = SECRET): string[] {
  const result = validateWith(secretPolicy(spec), reviewOf(object));
  return validationVerdict([result]).denials;
}

function expectNoLeak(texts: readonly string[]): void {
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) for (const leak of LEAKS) expect(text).not.toContain(leak);
}

describe('what findings show of a Secret', () => {
  it('masks {{ value }} and {{ $.… }} under data, stringData and annotations, keeping the keys', () => {
    const denials = deniedWith({
      validate: [
        {
          name: 'value',
          assert: [
            { path: '$.data.password', operator: 'Equals', value: 'x', message: '{{ path }} {{ value }}' },
          ],
        },
        {
          name: 'object',
          assert: [
            {
              path: '$.data.password',
              operator: 'Equals',
              value: 'x',
              message: 'data {{ $.data }} string {{ $.stringData.token }} notes {{ $.metadata.annotations }}',
            },
          ],
        },
        {
          name: 'each',
          forEach: '$.data.*',
          assert: [{ operator: 'MaxLength', value: 3 }],
        },
        { name: 'schema', forEach: '$.stringData.token', schema: { type: 'string', maxLength: 2 } },
      ],
    });
    expectNoLeak(denials);
    expect(denials).toContain(`data.password "${REDACTED}"`);
    expect(denials[1]).toContain(`{"password":"${REDACTED}","other":"${REDACTED}"}`);
    expect(denials[1]).toContain(`string "${REDACTED}"`);
    // The masked map is clipped to the message's length like any value.
    expect(denials[1]).toContain(`{"kubectl.kubernetes.io/last-applied-configuration":"**REDA`);
    expect(denials).toContain(
      `data["password"] "${REDACTED}": must have at most 3 characters or entries (policy test-policy, rule each)`,
    );
  });

  it('masks the whole object, where everything else of it shows', () => {
    const [denial] = deniedWith({
      validate: [
        {
          name: 'all',
          assert: [{ path: '$.metadata.labels.team', operator: 'Exists', message: 'object {{ $ }}' }],
        },
      ],
    });
    expectNoLeak([denial!]);
    expect(denial).toContain(`"kind":"Secret"`);
  });

  it('masks what an operand taken from the Secret (valueFrom) says in an expectation', () => {
    const denials = deniedWith({
      validate: [
        {
          name: 'same',
          assert: [{ path: '$.stringData.token', operator: 'Equals', valueFrom: '$.data.password' }],
        },
      ],
    });
    expectNoLeak(denials);
    expect(denials[0]).toContain(`must equal "${REDACTED}"`);
  });

  it('masks what a mutation reports: the values it would copy, and why its result is invalid', () => {
    const policy = secretPolicy({
      action: 'Warn',
      mutate: [{ name: 'copy', set: { path: "$.metadata.labels['p']", valueFrom: '$.stringData.token' } }],
    });
    const secret = structuredClone(SECRET);
    const warned = mutateWith(policy, reviewOf(secret), secret, false);
    expectNoLeak(warned.changes);
    expect(warned.changes).toEqual([`set metadata.labels.p to "${REDACTED}"`]);
    const invalid = secretPolicy({
      mutate: [{ name: 'copy', set: { path: "$.metadata.labels['p']", valueFrom: '$.data.password' } }],
    });
    const failed = mutateWith(invalid, reviewOf(structuredClone(SECRET)), structuredClone(SECRET), true);
    expectNoLeak([failed.error ?? '']);
    expect(failed.error).toContain(`label value "${REDACTED}" is invalid`);
  });

  it('shows the values of other kinds as they are', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team-a' },
      data: { password: PASSWORD },
    };
    expect(
      deniedWith(
        {
          validate: [
            {
              name: 'value',
              assert: [{ path: '$.data.password', operator: 'Equals', value: 'x', message: '{{ value }}' }],
            },
          ],
        },
        configMap,
      ),
    ).toEqual([JSON.stringify(PASSWORD)]);
  });
});
