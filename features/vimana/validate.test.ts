import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import {
  ACME,
  acme,
  DOMAIN_ID,
  loadManifests,
  ruleIds,
  variant,
} from '../../test/support/vimana/fixtures.ts';
import { validateCommand } from './validate-command.ts';
import { IN_ORDER, validateSet } from './validate-set.ts';

const MVP = new URL('../../manifests/samples/vimana-mvp.yaml', import.meta.url).pathname;
const documents = (objects: readonly KubeObject[], file = 'set.yaml') =>
  objects.map((object) => ({ object, file }));
const denials = (report: ReturnType<typeof validateSet>) => report.verdicts.flatMap((v) => v.denials);

/** Runs the command, answering its exit code and what it printed. */
async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await validateCommand(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(...l.split('\n')),
  });
  return { code, out, err };
}

function files(contents: Record<string, KubeObject[]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-validate-'));
  for (const [name, objects] of Object.entries(contents)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), objects.map((o) => stringify(o)).join('---\n'));
  }
  return dir;
}

describe('validateSet', () => {
  it('resolves references anywhere in the set, whatever the order, as the desired state', () => {
    const report = validateSet(documents([...ACME].reverse()), { namespace: 'acme' });
    expect(denials(report)).toEqual([]);
    // kubectl apply -f in this order would be denied: the children come first. That is said, not failed.
    const orderWarnings = report.verdicts.flatMap((v) => v.warnings).filter((w) => w.endsWith(IN_ORDER));
    expect(
      ruleIds(orderWarnings.map((w) => w.replace(`, until a later document is applied: ${IN_ORDER}`, ''))),
    ).toEqual(['R4', 'R4', 'R3', 'R2']);
  });

  it('denies what the set itself breaks, cross-resource rules included', () => {
    const broken = [
      ...ACME.filter((o) => o.kind !== 'Server'),
      variant('Server', { domain: 'f'.repeat(32) }),
    ];
    const report = validateSet(documents(broken), { namespace: 'acme' });
    expect(ruleIds(denials(report)).sort()).toEqual(['R3', 'R4', 'R4']);
    const twoVimanas = [...ACME, { ...acme('Vimana'), metadata: { name: 'other', namespace: 'acme' } }];
    expect(ruleIds(denials(validateSet(documents(twoVimanas), { namespace: 'acme' })))).toEqual(['R1', 'R1']);
  });

  it("judges objects the cluster has as updates of the stored ones, and counts the cluster's others", () => {
    const stored = ACME.map((o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '1' } }));
    const changedImage = variant('Component', { image: `other.example.com/${DOMAIN_ID}/payments:1.4.0` });
    const report = validateSet(documents([changedImage]), {
      namespace: 'acme',
      cluster: { objects: stored, tlsSecrets: [] },
    });
    expect(report.verdicts).toEqual([
      expect.objectContaining({ operation: 'UPDATE', denials: [expect.stringMatching(/\(rule I4\)$/)] }),
    ]);
    // A Domain whose parent is only in the cluster.
    const domainOnly = validateSet(documents([acme('Domain')]), {
      namespace: 'acme',
      cluster: { objects: [stored[0]!], tlsSecrets: [] },
    });
    expect(denials(domainOnly)).toEqual([]);
  });

  it('uses TLS Secrets of the set for R12, skips other kinds, and reports what cannot be judged', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'c-x' } };
    const report = validateSet(
      [
        ...documents([
          acme('Vimana'),
          secret,
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
        ]),
        { object: { ...acme('Vimana'), apiVersion: 'api.vimana.host/v2' }, file: 'v2.yaml' },
        { object: acme('Vimana'), file: 'again.yaml' },
      ],
      { namespace: 'acme' },
    );
    expect(report.skipped.map((s) => s.kind)).toEqual(['Secret', 'ConfigMap']);
    expect(report.errors).toEqual([
      'v2.yaml: Vimana edge: no Vimana is served at api.vimana.host/v2',
      'again.yaml: Vimana acme/edge is defined twice (also in set.yaml)',
    ]);
  });
});

describe('prismgate validate', () => {
  it("passes the project's own manifest, with kubectl-like output and exit code 0", async () => {
    const { code, out, err } = await run('-f', MVP);
    expect(code).toBe(0);
    expect(out).toEqual([
      'vimana.api.vimana.host/the-vimana valid (create)',
      'domain.api.vimana.host/foo-domain valid (create)',
      'server.api.vimana.host/the-adder-server valid (create)',
      'component.api.vimana.host/baz-component valid (create)',
    ]);
    expect(ruleIds(err.filter((line) => line.startsWith('Warning: ')))).toEqual(['A1', 'R12', 'R12']);
    expect(err.at(-1)).toBe('4 Vimana objects checked, 0 invalid');
  });

  it('fails a set with a broken reference, naming the object, the file and the rule, with exit code 1', async () => {
    const mvp = loadManifests('v1-mvp', 'default');
    const dir = files({
      'a.yaml': mvp.filter((o) => o.kind !== 'Server'),
      'nested/b.yaml': [
        {
          ...mvp.find((o) => o.kind === 'Server')!,
          spec: { ...(mvp[2]!['spec'] as object), domain: 'e'.repeat(32) },
        },
      ],
    });
    const flat = await run('-f', dir);
    // Without -R the nested file is not read: the Component's Server is missing.
    expect(flat.code).toBe(1);
    const recursive = await run('-f', dir, '-R');
    expect(recursive.code).toBe(1);
    expect(recursive.err).toContain(
      `error when validating "${path.join(dir, 'nested/b.yaml')}": server.api.vimana.host "the-adder-server" in namespace "default" is invalid: spec.domain "${'e'.repeat(32)}": must be the spec.id of a Domain in namespace default (rule R3)`,
    );
    expect(recursive.err.at(-1)).toBe('4 Vimana objects checked, 2 invalid');
  });

  it('answers JSON with -o json, and exits 1 on bad arguments and unreadable files', async () => {
    const json = await run('-f', MVP, '-o', 'json');
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      errors: [],
      verdicts: [{ kind: 'Vimana' }, {}, {}, {}],
    });
    expect((await run()).code).toBe(1);
    expect((await run('-f', MVP, '-o', 'yaml')).code).toBe(1);
    const missing = await run('-f', '/nonexistent/x.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toBe('error: /nonexistent/x.yaml: no such file or directory');
  });
});
