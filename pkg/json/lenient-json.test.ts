import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LenientJsonError, parseLenientJson, readConfigValue } from './lenient-json.ts';

describe('parseLenientJson', () => {
  it('reads strict JSON exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseLenientJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('accepts unquoted names and values, as the design status algorithm returns them', () => {
    expect(parseLenientJson('{ value: Normal, flyover: "Desired: 2, Available: 2" }')).toEqual({
      value: 'Normal',
      flyover: 'Desired: 2, Available: 2',
    });
  });

  it('accepts single quotes, comments, = and => separators, ; and trailing separators', () => {
    const text = `{
      // a comment
      'name': 'x', # another
      /* block */ count = 3;
      list => [1; 2, 'three',],
    }`;
    expect(parseLenientJson(text)).toEqual({ name: 'x', count: 3, list: [1, 2, 'three'] });
  });

  it('keeps raw newlines inside strings (multi-line snippets)', () => {
    expect(parseLenientJson('{"f": "function f() {\n  return 1;\n}"}')).toEqual({
      f: 'function f() {\n  return 1;\n}',
    });
  });

  it('names the position of a syntax error', () => {
    expect(() => parseLenientJson('{"a": }')).toThrowError(LenientJsonError);
    expect(() => parseLenientJson('{"a": 1')).toThrowError(/expected ',' or '}' at position 7/);
    expect(() => parseLenientJson('[1] x')).toThrowError(/after the value/);
    expect(() => parseLenientJson('"abc')).toThrowError(/unterminated string/);
  });

  it('never throws anything but LenientJsonError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseLenientJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(LenientJsonError);
        }
      }),
    );
  });
});

describe('readConfigValue', () => {
  it('parses strings and passes structured values through', () => {
    expect(readConfigValue('[ {name: a} ]')).toEqual([{ name: 'a' }]);
    expect(readConfigValue([{ name: 'a' }])).toEqual([{ name: 'a' }]);
  });
});
