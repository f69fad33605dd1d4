/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`) as numbers, so that policies can compare
 * `resources.limits.memory` with `LessThanOrEquals: 1Gi`. Doubles are precise enough to order the
 * quantities anyone writes; canonical formatting is not needed here.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A number, or a quantity string, as a number; undefined for anything else. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, number = '', exponent, suffix] = match;
  return Number(number + (exponent ?? '')) * (suffix ? (SUFFIXES[suffix] ?? 1) : 1);
}
