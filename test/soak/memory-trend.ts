/**
 * Whether memory stays flat: least-squares slopes of samples taken after warm-up, in MiB per minute.
 *
 * Neither series is a line. The V8 heap is a saw (it grows until a collection, then drops): its floor, the
 * lowest sample of each window, is where it stands after a collection, and a leak raises the floor while
 * garbage waiting for collection only raises the teeth. RSS climbs to a plateau and now and then drops
 * when the allocator hands memory back to the system: its ceiling, the highest sample of each window, is
 * the plateau, and a leak raises the ceiling while a drop only dents it. So the heap is judged by the slope
 * of its floor and RSS by the slope of its ceiling; the slope of every sample is reported besides.
 */

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMiB: number;
  heapUsedMiB: number;
}

export interface Trend {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Slope of every sample after warm-up. */
  slopeMiBPerMin: number;
  /** Slope of the per-window minima after warm-up. */
  floorSlopeMiBPerMin: number;
  /** Slope of the per-window maxima after warm-up. */
  ceilingSlopeMiBPerMin: number;
}

/** Least-squares slope of y over t (seconds), per minute; 0 with fewer than two points. */
export function slopePerMinute(points: readonly { t: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.y - meanY);
    variance += (p.t - meanT) ** 2;
  }
  return variance === 0 ? 0 : (covariance / variance) * 60;
}

/** The point of each `windowSeconds` window that `beats` every other point of it. */
function extremes(
  points: readonly { t: number; y: number }[],
  windowSeconds: number,
  beats: (a: number, b: number) => boolean,
) {
  const byWindow = new Map<number, { t: number; y: number }>();
  for (const p of points) {
    const window = Math.floor(p.t / windowSeconds);
    const best = byWindow.get(window);
    if (!best || beats(p.y, best.y)) byWindow.set(window, p);
  }
  return [...byWindow.values()];
}

export function trendOf(
  samples: readonly Sample[],
  value: (sample: Sample) => number,
  warmupSeconds: number,
  windowSeconds: number,
): Trend {
  const points = samples.filter((s) => s.t >= warmupSeconds).map((s) => ({ t: s.t, y: value(s) }));
  const ys = points.map((p) => p.y);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    first: round(ys[0] ?? 0),
    last: round(ys.at(-1) ?? 0),
    min: round(Math.min(...ys)),
    max: round(Math.max(...ys)),
    slopeMiBPerMin: round(slopePerMinute(points)),
    floorSlopeMiBPerMin: round(slopePerMinute(extremes(points, windowSeconds, (a, b) => a < b))),
    ceilingSlopeMiBPerMin: round(slopePerMinute(extremes(points, windowSeconds, (a, b) => a > b))),
  };
}
