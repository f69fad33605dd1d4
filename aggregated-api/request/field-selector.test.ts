import { describe, expect, it } from 'vitest';
import { matchesFields, parseFieldSelector, requiredValue } from './field-selector.ts';

describe('field selectors', () => {
  it('reads =, == and != terms, with escapes', () => {
    expect(parseFieldSelector('metadata.name=a,spec.x==b,status.value!=Normal,spec.y=a\\,b')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'spec.x', operator: '=', value: 'b' },
      { field: 'status.value', operator: '!=', value: 'Normal' },
      { field: 'spec.y', operator: '=', value: 'a,b' },
    ]);
    expect(parseFieldSelector('')).toEqual([]);
  });

  it.each(['metadata.name', '=x', 'a=b,,c=d'])("refuses %j with 400 in kube-apiserver's words", (text) => {
    expect(() => parseFieldSelector(text)).toThrow(
      expect.objectContaining({
        code: 400,
        message: expect.stringMatching(/^invalid selector: '.*'; can't understand '.*'$/),
      }),
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
