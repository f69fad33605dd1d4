/**
 * The import graph keeps its layers: no cycles, no module importing a layer above its own, features apart
 * from each other, production code free of test code (rules and layers in .dependency-cruiser.cjs).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const ruleSet = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as IConfiguration;

describe('the import graph', () => {
  it('breaks no layering rule', { timeout: 120_000 }, async () => {
    const previous = process.cwd();
    process.chdir(root);
    try {
      const { output } = await cruise(
        [
          'src',
          'server',
          'webhook',
          'aggregated-api',
          'features',
          'pkg',
          'certs',
          'test',
          'bench',
          'scripts',
        ],
        { ...ruleSet.options, validate: true, ruleSet: { forbidden: ruleSet.forbidden } },
      );
      const { summary } = output as ICruiseResult;
      const violations = summary.violations.map((v) =>
        [v.rule.name, v.from, ...(v.cycle?.map((step) => step.name) ?? [v.to])].join(' → '),
      );
      expect(violations).toEqual([]);
      // The graph covers the whole tree, so an empty list above is not an empty cruise.
      expect(summary.totalCruised).toBeGreaterThan(400);
    } finally {
      process.chdir(previous);
    }
  });
});
