import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIMANA_RULES } from './catalogue.ts';

const SPEC_RULES = [
  ...Array.from({ length: 13 }, (_, i) => `F${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `X${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `R${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `I${i + 1}`),
  ...Array.from({ length: 4 }, (_, i) => `D${i + 1}`),
  ...Array.from({ length: 6 }, (_, i) => `L${i + 1}`),
  'A1',
];

describe('the rule catalogue', () => {
  it('covers every enforceable rule of the spec, and only those (X9 is documentation)', () => {
    expect(new Set(VIMANA_RULES.map((rule) => rule.rule))).toEqual(new Set(SPEC_RULES));
  });

  it('names each entry uniquely, in kebab-case, with a description, kinds and operations', () => {
    const names = VIMANA_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of VIMANA_RULES) {
      expect(rule.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.kinds.length).toBeGreaterThan(0);
      expect(rule.operations.length).toBeGreaterThan(0);
    }
  });

  it('is documented entry by entry in RULES.md', () => {
    const text = readFileSync(new URL('./RULES.md', import.meta.url), 'utf8');
    const rows = [...text.matchAll(/^\| *(\w+) *\| *`([a-z0-9-]+)` *\| *(deny|warn) *\|/gm)].map(
      ([, id, name, severity]) => [id, name, severity].join(' '),
    );
    expect(rows.sort()).toEqual(
      VIMANA_RULES.map((rule) => [rule.rule, rule.name, rule.severity].join(' ')).sort(),
    );
  });
});
