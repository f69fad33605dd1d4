import { describe, expect, it } from 'vitest';
import { logFormat } from './logger.ts';

describe('logFormat', () => {
  it('prints JSON unless standard output is a terminal', () => {
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, undefined)).toBe('json');
  });

  it('follows LOG_FORMAT over the guess', () => {
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormat({ LOG_FORMAT: 'xml' }, true)).toBe('pretty');
  });
});
