import { describe, expect, it } from 'vitest';
import { parseJsonPath, resolveLeaf } from './jsonpath-subset.ts';

describe('parseJsonPath (kappnav-prism.md §7.4 JSONPathParser)', () => {
  it.each([
    ['$.metadata.name', ['metadata', 'name']],
    ["$.metadata.annotations['kappnav.subkind']", ['metadata', 'annotations', 'kappnav.subkind']],
    ["$['metadata']['name']", ['metadata', 'name']],
    ["$.a['b'].c", ['a', 'b', 'c']],
    ['$', []],
  ])('%s → %j', (path, steps) => {
    expect(parseJsonPath(path)).toEqual(steps);
  });

  it.each([
    'metadata.name',
    '$.',
    '$.a.',
    '$..a',
    "$.a['b']c",
    '$.a[b]',
    "$.a['']",
    '${.phase}',
    '$.a[0]',
    '$.spec.containers[0].image',
  ])('%s is not in the subset', (path) => {
    expect(parseJsonPath(path)).toBeNull();
  });
});

describe('resolveLeaf', () => {
  const pod = {
    metadata: { name: 'p', annotations: { 'kappnav.subkind': 'Liberty' } },
    status: { replicas: 2, ready: true, conditions: [] },
  };

  it('returns primitives as text', () => {
    expect(resolveLeaf(pod, ['metadata', 'name'])).toBe('p');
    expect(resolveLeaf(pod, ['metadata', 'annotations', 'kappnav.subkind'])).toBe('Liberty');
    expect(resolveLeaf(pod, ['status', 'replicas'])).toBe('2');
    expect(resolveLeaf(pod, ['status', 'ready'])).toBe('true');
  });

  it('returns null for objects, arrays, missing members and the root', () => {
    expect(resolveLeaf(pod, ['metadata'])).toBeNull();
    expect(resolveLeaf(pod, ['status', 'conditions'])).toBeNull();
    expect(resolveLeaf(pod, ['status', 'phase'])).toBeNull();
    expect(resolveLeaf(pod, [])).toBeNull();
    expect(resolveLeaf(null, ['a'])).toBeNull();
    expect(resolveLeaf({ a: null }, ['a'])).toBeNull();
    expect(resolveLeaf({}, ['toString'])).toBeNull();
  });
});
