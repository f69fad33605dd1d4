import { describe, expect, it } from 'vitest';
import { readLabelSelector } from './label-selector.ts';
import type { Requirement } from './requirement.ts';
import { selects } from './requirement.ts';

describe('readLabelSelector', () => {
  it('reads matchLabels as equalities, then matchExpressions in order', () => {
    const read = readLabelSelector({
      matchLabels: { app: 'shop', replicas: 3, on: true },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(read.dropped).toEqual([]);
    expect(read.requirements).toEqual<Requirement[]>([
      { key: 'app', operator: 'Equals', values: ['shop'] },
      { key: 'replicas', operator: 'Equals', values: ['3'] },
      { key: 'on', operator: 'Equals', values: ['true'] },
      { key: 'tier', operator: 'In', values: ['web', 'api'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ]);
  });

  it('drops what kAppNav drops and says why', () => {
    const read = readLabelSelector({
      matchLabels: { app: 'shop', nested: { a: 1 } },
      matchExpressions: [
        { key: 'tier', operator: 'in', values: ['web'] },
        { key: 'env', operator: 'In' },
        { key: 'zone', operator: 'NotIn', values: [] },
        { operator: 'Exists' },
        'B Exists',
        { key: 'B', operator: 'Exists', values: ['ignored'] },
      ],
    });
    expect(read.requirements).toEqual<Requirement[]>([
      { key: 'app', operator: 'Equals', values: ['shop'] },
      { key: 'B', operator: 'Exists', values: [] },
    ]);
    expect(read.dropped).toEqual([
      'matchLabels["nested"] is not a string',
      'matchExpressions[0] has the unknown operator "in" (one of In, NotIn, Exists, DoesNotExist), so it is ignored',
      'matchExpressions[1] (In) has no values, so it is ignored',
      'matchExpressions[2] (NotIn) has no values, so it is ignored',
      'matchExpressions[3] has no key, so it is ignored',
      'matchExpressions[4] is not an object, so it is ignored',
    ]);
  });

  it('reads a missing selector as empty and reports a selector of the wrong shape', () => {
    expect(readLabelSelector(undefined)).toEqual({ requirements: [], dropped: [] });
    expect(readLabelSelector('app=x')).toEqual({
      requirements: [],
      dropped: ['the selector is not an object'],
    });
    expect(readLabelSelector({ matchLabels: [], matchExpressions: {} }).dropped).toEqual([
      'matchLabels is not an object',
      'matchExpressions is not a list',
    ]);
  });
});

describe('selects (Kubernetes semantics)', () => {
  const requirement = (r: Requirement) => [r];

  it.each<[string, Requirement, Record<string, string> | undefined, boolean]>([
    ['In, value listed', { key: 'a', operator: 'In', values: ['x', 'y'] }, { a: 'y' }, true],
    ['In, value not listed', { key: 'a', operator: 'In', values: ['x'] }, { a: 'z' }, false],
    ['In, label absent', { key: 'a', operator: 'In', values: ['x'] }, {}, false],
    ['In compares case-sensitively', { key: 'a', operator: 'In', values: ['x'] }, { a: 'X' }, false],
    ['NotIn, value listed', { key: 'a', operator: 'NotIn', values: ['x'] }, { a: 'x' }, false],
    ['NotIn, other value', { key: 'a', operator: 'NotIn', values: ['x'] }, { a: 'y' }, true],
    ['NotIn holds when the label is absent', { key: 'a', operator: 'NotIn', values: ['x'] }, {}, true],
    ['NotIn holds when there are no labels', { key: 'a', operator: 'NotIn', values: ['x'] }, undefined, true],
    ['Equals', { key: 'a', operator: 'Equals', values: ['x'] }, { a: 'x' }, true],
    ['Equals, case differs', { key: 'a', operator: 'Equals', values: ['x'] }, { a: 'X' }, false],
    ['NotEquals holds when absent', { key: 'a', operator: 'NotEquals', values: ['x'] }, {}, true],
    ['Exists', { key: 'a', operator: 'Exists', values: [] }, { a: '' }, true],
    ['Exists, absent', { key: 'a', operator: 'Exists', values: [] }, { b: 'a' }, false],
    ['DoesNotExist', { key: 'a', operator: 'DoesNotExist', values: [] }, { b: 'x' }, true],
    ['DoesNotExist, present', { key: 'a', operator: 'DoesNotExist', values: [] }, { a: 'x' }, false],
    ['keys are not inherited properties', { key: 'constructor', operator: 'Exists', values: [] }, {}, false],
    ['GreaterThan, above', { key: 'n', operator: 'GreaterThan', values: ['3'] }, { n: '4' }, true],
    ['GreaterThan, equal', { key: 'n', operator: 'GreaterThan', values: ['3'] }, { n: '3' }, false],
    [
      'GreaterThan, not an integer',
      { key: 'n', operator: 'GreaterThan', values: ['3'] },
      { n: 'five' },
      false,
    ],
    ['GreaterThan, absent', { key: 'n', operator: 'GreaterThan', values: ['3'] }, {}, false],
    ['LessThan, below (signed)', { key: 'n', operator: 'LessThan', values: ['3'] }, { n: '-2' }, true],
    [
      'LessThan, beyond int64',
      { key: 'n', operator: 'LessThan', values: ['3'] },
      { n: '-9223372036854775809' },
      false,
    ],
  ])('%s', (_name, r, labels, expected) => {
    expect(selects(requirement(r), labels, 'selects-nothing')).toBe(expected);
  });

  it('ANDs requirements', () => {
    const both: Requirement[] = [
      { key: 'A', operator: 'Equals', values: ['true'] },
      { key: 'B', operator: 'Exists', values: [] },
    ];
    expect(selects(both, { A: 'true', B: 'x' }, 'selects-nothing')).toBe(true);
    expect(selects(both, { A: 'true' }, 'selects-nothing')).toBe(false);
  });

  it('lets the caller say what an empty selector selects', () => {
    expect(selects([], { a: 'x' }, 'selects-everything')).toBe(true);
    expect(selects([], { a: 'x' }, 'selects-nothing')).toBe(false);
  });
});
