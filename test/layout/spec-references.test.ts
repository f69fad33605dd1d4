/**
 * Every specification section the code and docs cite exists: comments say "kappnav-prism.md §3.6(b)" or
 * "vimana-invariants.md §2.5 D1-D4" so a reader can look the rule up, and the specifications are in
 * docs/spec/ for that reason. A bare "§3.6" refers to the specification the same file names (or, where a file
 * names none, to its domain's).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const SPEC_DIR = 'docs/spec';
const SPEC_NAME = /\b(vimana-invariants|kappnav-prism|kappnav-apis|vimana-api|anchors|peers-build)\.md\b/g;
const SECTION = /§\s?(\d+(?:\.\d+)*)/g;
const DOMAIN_SPECS: [RegExp, string][] = [
  [/kappnav|prism/, 'kappnav-prism.md'],
  [/vimana|policy|policies|admission/, 'vimana-invariants.md'],
];

/** The numbered sections of a specification: "### 3.6 Pattern …" gives 3.6. */
function sectionsOf(spec: string): Set<string> {
  const text = readFileSync(path.join(root, SPEC_DIR, spec), 'utf8');
  return new Set([...text.matchAll(/^#+\s+(\d+(?:\.\d+)*)\.?\s/gm)].map((m) => m[1]!));
}

const citingFiles = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.md', '*.yaml'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && !file.startsWith(`${SPEC_DIR}/`) && !file.startsWith('bench/results/'))
  .filter((file) => existsSync(path.join(root, file)));

describe('specification references', () => {
  const sections = new Map<string, Set<string>>();
  const sectionsIn = (spec: string) => {
    let found = sections.get(spec);
    if (!found) sections.set(spec, (found = sectionsOf(spec)));
    return found;
  };

  it('name specifications that are in docs/spec/', () => {
    const missing = citingFiles.flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(SPEC_NAME)]
        .map((m) => m[0])
        .filter((spec) => !existsSync(path.join(root, SPEC_DIR, spec)))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(missing).toEqual([]);
  });

  it('cite sections that exist', () => {
    const unresolved: string[] = [];
    let cited = 0;
    for (const file of citingFiles) {
      const text = readFileSync(path.join(root, file), 'utf8');
      const citations = [...text.matchAll(SECTION)].map((m) => m[1]!);
      if (citations.length === 0) continue;
      let specs = [...new Set([...text.matchAll(SPEC_NAME)].map((m) => m[0]))];
      if (specs.length === 0) specs = DOMAIN_SPECS.filter(([domain]) => domain.test(file)).map(([, s]) => s);
      for (const section of citations) {
        cited++;
        if (!specs.some((spec) => sectionsIn(spec).has(section)))
          unresolved.push(`${file}: §${section} (in ${specs.join(' or ') || 'no specification named'})`);
      }
    }
    expect(unresolved).toEqual([]);
    expect(cited).toBeGreaterThan(100);
  });
});
