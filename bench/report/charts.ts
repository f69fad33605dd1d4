/**
 * The report's charts: Vega-Lite specs rendered to SVG in Node (no browser, no canvas), in the few shapes
 * the report uses: latency distributions, a figure across sizes, and grouped bars.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LatencySummary } from '../support/latency-summary.ts';

const WIDTH = 560;
const HEIGHT = 260;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const frame = (title: string) =>
  ({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    config: { font: 'sans-serif' },
  }) as const;

/** Percentile labels in the order of the distribution: p0 is the fastest sample, p100 the slowest. */
const percentileLabel = (p: number) => (p === 0 ? 'min' : p === 100 ? 'max' : `p${p}`);

/**
 * Latency distributions, one line per series, x the percentile (spaced evenly, so the tail gets room),
 * y the latency on a log scale.
 */
export function distributionChart(
  title: string,
  series: { name: string; latency: LatencySummary }[],
): TopLevelSpec {
  const values = series.flatMap(({ name, latency }) =>
    latency.distribution.map(([p, ms], order) => ({
      series: name,
      percentile: percentileLabel(p),
      order,
      ms,
    })),
  );
  return {
    ...frame(title),
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'percentile',
        type: 'ordinal',
        sort: { field: 'order' },
        title: 'percentile',
        axis: { labelAngle: 0 },
      },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms, log scale)' },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name) },
    },
  };
}

export interface Point {
  x: string;
  series: string;
  value: number;
}

/** A figure across sizes (connections, policies, objects), one line per series. */
export function sizeChart(
  title: string,
  points: Point[],
  axes: { x: string; y: string; logY?: boolean },
): TopLevelSpec {
  const order = [...new Set(points.map((p) => p.x))];
  return {
    ...frame(title),
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: order, title: axes.x, axis: { labelAngle: 0 } },
      y: {
        field: 'value',
        type: 'quantitative',
        title: axes.y,
        ...(axes.logY ? { scale: { type: 'log' } } : {}),
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: [...new Set(points.map((p) => p.series))],
      },
    },
  };
}

/** Bars grouped by x, one bar per series. */
export function groupedBarChart(
  title: string,
  points: Point[],
  axes: { x: string; y: string },
): TopLevelSpec {
  const order = [...new Set(points.map((p) => p.x))];
  const seriesOrder = [...new Set(points.map((p) => p.series))];
  return {
    ...frame(title),
    data: { values: points },
    mark: 'bar',
    encoding: {
      x: { field: 'x', type: 'nominal', sort: order, title: axes.x, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: seriesOrder },
      y: { field: 'value', type: 'quantitative', title: axes.y },
      color: { field: 'series', type: 'nominal', title: null, sort: seriesOrder },
    },
  };
}
