import { describe, expect, it } from 'vitest';
import { matchesFields, parseFieldSelector, requiredValue } from './field-selector.ts';

describe('field selectors', () => {
  it('reads =, == and != terms in sorted order, with escapes, skipping empty terms', () => {
    expect(parseFieldSelector('status.value!=Normal,metadata.name=a,,spec.y=a\\,b,spec.x==b,')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'spec.x', operator: '=', value: 'b' },
      { field: 'spec.y', operator: '=', value: 'a,b' },
      { field: 'status.value', operator: '!=', value: 'Normal' },
    ]);
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('=')).toEqual([]);
    expect(parseFieldSelector('=x')).toEqual([{ field: '', operator: '=', value: 'x' }]);
    expect(parseFieldSelector(' a =b')).toEqual([{ field: ' a ', operator: '=', value: 'b' }]);
  });

  // Messages as kube-apiserver (apimachinery's fields.ParseSelector) words them.
  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=x=y', 'invalid field selector: unescaped character in value: 61'],
    ['a=x,bad', "invalid selector: 'a=x,bad'; can't understand 'bad'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])("refuses %j with 400 in kube-apiserver's words", (text, message) => {
    expect(() => parseFieldSelector(text)).toThrow(
      expect.objectContaining({ code: 400, message: expect.stringContaining(message) }),
    );
  });

  it('matches and finds pinned values', () => {
    const selector = parseFieldSelector('metadata.name=a,status.value!=Normal');
    expect(matchesFields(selector, { 'metadata.name': 'a', 'status.value': 'Problem' })).toBe(true);
    expect(matchesFields(selector, { 'metadata.name': 'a', 'status.value': 'Normal' })).toBe(false);
    expect(matchesFields(selector, { 'metadata.name': 'b' })).toBe(false);
    expect(requiredValue(selector, 'metadata.name')).toBe('a');
    expect(requiredValue(selector, 'status.value')).toBeUndefined();
  });
});
