/** Growth statements: one figure at two or more sizes, and the factor between each size and the next. */
import type { Growth } from '../scenario.ts';

function formatValue(value: number, unit: string): string {
  return `${Number(value.toPrecision(3)).toLocaleString('en-US')} ${unit}`;
}

/**
 * e.g. growth('list p99', 'ms', [{size: '1k objects', value: 1.2}, {size: '10k objects', value: 1.56}])
 * states "list p99: 1.2 ms at 1k objects → 1.56 ms at 10k objects (1.3x)".
 */
export function growth(figure: string, unit: string, points: Growth['points']): Growth {
  const steps = points.map((point, i) => {
    const previous = points[i - 1];
    const factor = previous && previous.value > 0 ? ` (${(point.value / previous.value).toFixed(2)}x)` : '';
    return `${formatValue(point.value, unit)} at ${point.size}${factor}`;
  });
  return { figure, unit, points, statement: `${figure}: ${steps.join(' → ')}` };
}
