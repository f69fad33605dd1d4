/**
 * The report's section for the `kappnav-status` scenario (another engineer's): read defensively, since
 * its results' shape is its own.
 */
import type { LatencySummary } from '../../support/latency-summary.ts';
import { formatMs } from '../../support/format.ts';
import { distributionChart } from '../charts.ts';
import { table } from '../markdown.ts';
import type { Section } from '../section.ts';

interface ReconcilerFigures {
  events?: number;
  writes?: number;
  cpuMicrosPerEvent?: number | null;
  computeCpuMicrosPerEvent?: number | null;
  wallMs?: number;
}

interface KappnavStatusResult {
  components?: number;
  applications?: { total?: number; topLevel?: number };
  setupConvergedMs?: number;
  propagationDelay?: LatencySummary & { missedSamples?: number };
  podReadinessToTopLevel?: LatencySummary;
  reconcilerDuringSamples?: ReconcilerFigures;
  fullRecompute?: ReconcilerFigures;
}

const micros = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a' : `${value} µs`;

export const kappnavStatusSection: Section = {
  title: 'kAppNav status propagation',
  method:
    "Deployments under nested applications on the local control plane (the real Deployment controller writes their status from their Pods' readiness, which the scenario flips). Propagation: from a Deployment's status change to the new `kappnav.status.value` on its top-level application, both seen by one watcher. Reconciler CPU per informer event, and a full recompute (as after a kappnav-config change).",
  async render(result, { chart }) {
    const r = result as KappnavStatusResult;
    const parts = [
      `${r.components ?? '?'} Deployments under ${r.applications?.total ?? '?'} applications (${r.applications?.topLevel ?? '?'} top-level); setup converged in ${formatMs(r.setupConvergedMs ?? NaN)}.`,
    ];
    const delay = (name: string, summary: LatencySummary, missed: string) => [
      name,
      formatMs(summary.p50Ms),
      formatMs(summary.p99Ms),
      formatMs(summary.maxMs),
      missed,
    ];
    const rows = [
      ...(r.propagationDelay
        ? [
            delay(
              'Deployment status → top-level annotation',
              r.propagationDelay,
              String(r.propagationDelay.missedSamples ?? 0),
            ),
          ]
        : []),
      ...(r.podReadinessToTopLevel
        ? [delay('Pod readiness → top-level annotation', r.podReadinessToTopLevel, '')]
        : []),
    ];
    parts.push(table(['delay', 'p50', 'p99', 'max', 'missed'], rows));
    const reconciler = (name: string, f: ReconcilerFigures | undefined) =>
      f && [
        name,
        String(f.events ?? ''),
        String(f.writes ?? ''),
        micros(f.cpuMicrosPerEvent),
        micros(f.computeCpuMicrosPerEvent),
        f.wallMs === undefined ? '' : formatMs(f.wallMs),
      ];
    parts.push(
      table(
        ['reconciler', 'events', 'writes', 'process CPU per event', 'status computation per event', 'wall'],
        [
          reconciler('during the samples', r.reconcilerDuringSamples),
          reconciler('full recompute', r.fullRecompute),
        ].filter((row): row is string[] => row !== undefined),
      ),
    );
    const delays = [
      ...(r.propagationDelay ? [{ name: 'from the Deployment status', latency: r.propagationDelay }] : []),
      ...(r.podReadinessToTopLevel
        ? [{ name: 'from the Pod readiness', latency: r.podReadinessToTopLevel }]
        : []),
    ].filter(({ latency }) => Array.isArray(latency.distribution));
    if (delays.length > 0)
      parts.push(
        await chart(
          'kappnav-propagation',
          distributionChart('Propagation to the top-level application', delays),
        ),
      );
    return parts.join('\n\n');
  },
};
