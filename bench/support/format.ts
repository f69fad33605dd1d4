/** How figures are written in targets, growth statements and the report. */

/** Milliseconds with three significant digits: 0.412 ms, 20.6 ms, 1,250 ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${Number(ms.toPrecision(3))} ms`;
}

/** A size for prose: 1000 → "1k", 50000 → "50k", 32 → "32". */
export function formatCount(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n.toLocaleString('en-US');
}

/** A ratio as the report states it: "1.32x". */
export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a';
}
