import { describe, expect, it } from 'vitest';
import { DEFAULT_KAPPNAV_CONFIG } from '../model/config.ts';
import { rollUpStatus } from './status-rollup.ts';

const custom = {
  statusPrecedence: ['Red Alert', 'Problem', 'Warning', 'Unknown', 'Normal'],
  statusUnknown: 'Unknown',
};

describe('rollUpStatus (kappnav-prism.md §4.4)', () => {
  it.each<[string[], string]>([
    [['Normal', 'Normal'], 'Normal'],
    [['Normal', 'Warning', 'Unknown'], 'Warning'],
    [['Normal', 'Unknown'], 'Unknown'],
    [['Warning', 'Problem', 'Normal'], 'Problem'],
    [['Normal', ''], 'Unknown'],
    [['Normal', 'Bogus'], 'Normal'],
    [['Bogus'], 'Unknown'],
    [[], 'Unknown'],
  ])('%j → %s', (values, expected) => {
    expect(rollUpStatus(values, DEFAULT_KAPPNAV_CONFIG)).toBe(expected);
  });

  it('follows a configured precedence with user values', () => {
    expect(rollUpStatus(['Problem', 'Red Alert'], custom)).toBe('Red Alert');
    expect(rollUpStatus(['Red Alert'], DEFAULT_KAPPNAV_CONFIG)).toBe('Unknown');
  });

  it('ignores "" when status-unknown is not in the precedence list', () => {
    expect(
      rollUpStatus(['', 'Normal'], { statusPrecedence: ['Problem', 'Normal'], statusUnknown: 'Grey' }),
    ).toBe('Normal');
  });
});
