import { describe, expect, it } from 'vitest';
import {
  keyPath,
  listEntries,
  MAX_VALUE_CHARS,
  readLabel,
  readPath,
  readString,
  readStrings,
} from './fields.ts';
import { renderValue, sameJson } from '../../pkg/json/json-value.ts';

describe('defensive readers', () => {
  it('read own properties only, never the prototype', () => {
    const object = JSON.parse('{"spec": {"__proto__": {"id": "x"}, "id": 5}}') as unknown;
    expect(readPath(object, 'spec.constructor')).toBeUndefined();
    expect(readString(object, 'spec.id')).toBeUndefined();
    expect(readString(object, 'spec.__proto__.id')).toBe('x');
  });

  it('answer nothing for the wrong JSON type', () => {
    expect(readStrings({ spec: { aliases: 'a.example.com' } }, 'spec.aliases')).toEqual([]);
    expect(readStrings({ spec: { aliases: ['a.b', 3, null] } }, 'spec.aliases')).toEqual(['a.b']);
    expect(listEntries({ spec: { aliases: [3, 'a.b'] } }, 'spec.aliases')).toEqual([
      { path: 'spec.aliases[1]', value: 'a.b' },
    ]);
    expect(readLabel({ metadata: { labels: ['x'] } }, 'vimana.host/domain')).toBeUndefined();
    expect(readPath(null, 'spec')).toBeUndefined();
  });
});

describe('message parts', () => {
  it('quote map keys and clip long ones', () => {
    expect(keyPath('spec.versionWeights', '1.0.0')).toBe('spec.versionWeights["1.0.0"]');
    expect(keyPath('spec.versionWeights', 'x'.repeat(100)).length).toBeLessThan(70);
  });

  it('render values as JSON, absent ones as (absent), long ones clipped', () => {
    expect(renderValue('1.2.3')).toBe('"1.2.3"');
    expect(renderValue(undefined)).toBe('(absent)');
    expect(renderValue(10n)).toBe('10');
    expect(renderValue('x'.repeat(500), MAX_VALUE_CHARS)).toHaveLength(MAX_VALUE_CHARS);
  });
});

describe('sameJson', () => {
  it('compares structure, not key order', () => {
    expect(sameJson({ a: 1, b: [{ x: 'y', z: null }] }, { b: [{ z: null, x: 'y' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});
