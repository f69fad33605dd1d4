import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capWarnings, MAX_TRUNCATED_WARNING, MAX_WARNING_TOTAL } from './admission-warnings.ts';

const runes = (text: string) => Array.from(text).length;
const total = (warnings: readonly string[]) => warnings.reduce((sum, w) => sum + runes(w), 0);

describe('capWarnings (kube-apiserver warning recorder)', () => {
  it('passes warnings under 4 Ki characters whole, without duplicates or empty ones', () => {
    const long = 'x'.repeat(1000);
    expect(capWarnings(['a', '', 'b', 'a', long])).toEqual(['a', 'b', long]);
  });

  it('past 4 Ki cuts every warning, those before included, to 256 characters and stops at the total', () => {
    const warnings = Array.from({ length: 100 }, (_, i) => `${i}:${'é'.repeat(1000)}`);
    const capped = capWarnings(warnings);
    expect(capped.every((w) => runes(w) === MAX_TRUNCATED_WARNING)).toBe(true);
    expect(capped).toHaveLength(MAX_WARNING_TOTAL / MAX_TRUNCATED_WARNING);
    expect(capped[0]).toBe(Array.from(warnings[0]!).slice(0, MAX_TRUNCATED_WARNING).join(''));
  });

  it('never passes more than 4 Ki + 256 characters, whatever comes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 2000, unit: 'grapheme' }), { maxLength: 200 }),
        (warnings) => {
          const capped = capWarnings(warnings);
          expect(total(capped)).toBeLessThanOrEqual(MAX_WARNING_TOTAL + MAX_TRUNCATED_WARNING);
          expect(new Set(capped).size).toBe(capped.length);
          if (total([...new Set(warnings)]) <= MAX_WARNING_TOTAL)
            expect(capped).toEqual([...new Set(warnings)].filter(Boolean));
        },
      ),
    );
  });
});
