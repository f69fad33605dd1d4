/**
 * The default policies (manifests/policies) re-express Vimana rules declaratively; this proves that they
 * say exactly what the code rules they replace say, on the §4 examples and on generated variations, and
 * that the offline CLI gives the §4 examples their expected verdicts.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { matchingPolicies, validateWith, validationVerdict } from './engine/evaluate.ts';
import { loadManifests } from '../../pkg/manifests/manifest-files.ts';
import { compilePolicy, type CompiledPolicy } from './engine/policy.ts';
import { VIMANA_RULES } from '../vimana/catalogue.ts';
import { INVALID_EXAMPLES, WARNING_EXAMPLES } from '../../test/support/vimana/invalid-examples.ts';
import {
  ACME,
  acme,
  clusterOf,
  loadManifests as loadVimanaManifests,
  review,
} from '../../test/support/vimana/fixtures.ts';
import { testCommand } from './cli/test-command.ts';

const root = path.resolve(import.meta.dirname, '../..');
const policiesDir = path.join(root, 'manifests/policies');
const REPLACES_ANNOTATION = 'policies.prismgate.kappnav.io/replaces';

const DEFAULT_POLICIES: CompiledPolicy[] = loadManifests([policiesDir]).objects.map(({ object }) => {
  const compiled = compilePolicy({ ...object, metadata: { ...object.metadata, generation: 1 } });
  if (!compiled.ok) throw new Error(`${object.metadata?.name}: ${compiled.problems.join('\n')}`);
  return compiled.policy;
});
const replaced = new Set(
  DEFAULT_POLICIES.flatMap((p) => (p.resource.metadata?.annotations?.[REPLACES_ANNOTATION] ?? '').split(',')),
);
const REPLACED_RULES = VIMANA_RULES.filter((rule) => replaced.has(rule.name));

/** The denials and warnings of the default policies for a request, sorted. */
function byPolicies(object: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: KubeObject) {
  const input = {
    group: 'api.vimana.host',
    kind: object.kind ?? '',
    operation,
    namespace: object.metadata?.namespace,
    clusterScoped: false,
    name: object.metadata?.name,
    object,
    oldObject,
    namespaceLabels: () => undefined,
  };
  const verdict = validationVerdict(
    matchingPolicies(DEFAULT_POLICIES, input).map((p) => validateWith(p, input)),
  );
  return { denials: verdict.denials.sort(), warnings: verdict.warnings.sort() };
}

/** What the code rules the policies replace say for the same request, sorted. */
function byCode(object: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: KubeObject) {
  const verdict = review(object, { operation, oldObject, rules: REPLACED_RULES, view: clusterOf(ACME) });
  return { denials: verdict.denials.sort(), warnings: verdict.warnings.sort() };
}

describe('the default policies', () => {
  it('all compile, and each replaces catalogue entries that exist', () => {
    expect(DEFAULT_POLICIES.length).toBeGreaterThanOrEqual(18);
    const names = new Set(VIMANA_RULES.map((rule) => rule.name));
    expect([...replaced].filter((name) => !names.has(name))).toEqual([]);
    expect(REPLACED_RULES.map((r) => r.rule).sort()).toEqual(
      [
        'A1',
        'F1',
        'F10',
        'F11',
        'F12',
        'F13',
        'F2',
        'F3',
        'F5',
        'F6',
        'F7',
        'F8',
        'F9',
        'X2',
        'X3',
        'X3',
        'X4',
        'X4',
        'X5',
        'X7',
        'X7',
      ].sort(),
    );
  });

  it.each(INVALID_EXAMPLES.filter((e) => !e.operation).map((e) => [e.title, e] as const))(
    'say what the code rules say for §4.2 %s',
    (_, example) => {
      expect(byPolicies(example.object)).toEqual(byCode(example.object));
    },
  );

  it.each(WARNING_EXAMPLES.map((e) => [e.title, e] as const))(
    'say what the code rules say for the warning %s',
    (_, example) => {
      expect(byPolicies(example.object)).toEqual(byCode(example.object));
    },
  );

  it('say what the code rules say for the valid manifests V1-V5', () => {
    for (const object of [...loadVimanaManifests('v1-mvp', 'default'), ...ACME])
      expect(byPolicies(object)).toEqual(byCode(object));
  });

  it('ratchet UPDATEs as the code rules do', () => {
    const broken = { ...acme('Domain'), spec: { ...(acme('Domain')['spec'] as object), id: 'BAD' } };
    const relabelled = { ...broken, metadata: { ...broken.metadata, labels: { team: 'x' } } };
    expect(byPolicies(relabelled, 'UPDATE', broken)).toEqual(byCode(relabelled, 'UPDATE', broken));
    expect(byPolicies(relabelled, 'UPDATE', broken).denials).toEqual([]);
  });

  it('say what the code rules say for generated variations of the acme objects (property)', () => {
    const values = fc.constantFrom<unknown>(
      '',
      'x',
      'API.Example.com',
      'api.example.com',
      '*.example.com',
      '10.0.0.1',
      'a.app.vimana.host',
      'acme.v1.Service',
      'NoPackage',
      '1.0.0',
      '1.2.3-alpha.1',
      'v1',
      'http://a.example.com/jwks',
      'aws/us-east',
      'US',
      'a'.repeat(70),
      '3f2a9c1e7b5d40a8912e6c0d4b7a1f35',
      -1,
      0,
      5,
      2_000_000,
      1.5,
      true,
      [],
      {},
    );
    const list = fc.array(values, { maxLength: 3 });
    const map = fc.dictionary(fc.constantFrom('1.0.0', 'v1', 'new-checkout', 'Bad_Key', 'a.b'), values, {
      maxKeys: 3,
    });
    const field = fc.oneof(values, list, map);
    const specs = {
      Vimana: { regions: field },
      Domain: {
        id: field,
        vimana: field,
        aliases: field,
        failover: field,
        regions: field,
        grpc: fc.record({ reflection: fc.record({ noneBut: list, allBut: list }, { requiredKeys: [] }) }),
      },
      Server: {
        id: field,
        domain: field,
        services: field,
        versionWeights: field,
        features: field,
        auth: fc.record({ jwks: field }),
      },
      Component: { version: field, server: field, domain: field, image: field },
    };
    const objects = fc.oneof(
      ...Object.entries(specs).map(([kind, fields]) =>
        fc.record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }).map((spec) => {
          const base = acme(kind);
          return { ...base, spec: { ...(base['spec'] as object), ...spec } } as KubeObject;
        }),
      ),
    );
    fc.assert(
      fc.property(objects, (object) => {
        expect(byPolicies(object)).toEqual(byCode(object));
      }),
      { numRuns: 400 },
    );
  });
});

describe('prismgate test on the §4 examples', () => {
  it('gives every example its expected verdict, and exits 0', () => {
    const output: string[] = [];
    const code = testCommand(
      [
        '--policy',
        policiesDir,
        '--resource',
        path.join(policiesDir, 'tests'),
        '--expect',
        path.join(policiesDir, 'tests/expectations.yaml'),
      ],
      (text) => output.push(text),
    );
    expect(output.join('\n')).toContain('; OK');
    expect(code).toBe(0);
  });

  it('exits 1 without expectations, since invalid examples fail, and prints JSON on request', () => {
    const output: string[] = [];
    const args = [
      '--policy',
      policiesDir,
      '--resource',
      path.join(policiesDir, 'tests/vimana-invalid.yaml'),
      '--output',
      'json',
    ];
    expect(testCommand(args, (text) => output.push(text))).toBe(1);
    const report = JSON.parse(output.join('')) as {
      results: { resource: string; policy: string; result: string; messages: string[] }[];
    };
    expect(report.results).toContainEqual({
      resource: 'Domain/acme/f1-4',
      policy: 'vimana-domain-id-format',
      result: 'fail',
      messages: ['spec.id "0123456789ABCDEF0123456789ABCDEF": must be 32 lowercase hex characters (rule F1)'],
      ok: false,
    });
  });

  it('exits 0 for the valid examples, and 2 for unreadable input', () => {
    expect(
      testCommand(
        ['--policy', policiesDir, '--resource', path.join(policiesDir, 'tests/vimana-valid.yaml')],
        () => {},
      ),
    ).toBe(0);
    expect(testCommand(['--policy', policiesDir, '--resource', '/nonexistent'], () => {})).toBe(2);
    expect(testCommand(['--resource', policiesDir], () => {})).toBe(2);
  });
});
