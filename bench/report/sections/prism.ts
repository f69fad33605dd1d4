/** The report's section for the `prism` scenario. */
import { OPERATIONS, type PrismResult, type SizeStep } from '../../scenarios/prism.ts';
import { formatCount, formatMs, formatRatio } from '../../support/format.ts';
import { sizeChart } from '../charts.ts';
import { mib, table } from '../markdown.ts';
import type { Section } from '../section.ts';

const NAMES: Record<(typeof OPERATIONS)[number], string> = {
  listTable: 'list applications (Table, as kubectl)',
  listJson: 'list applications (JSON)',
  get: 'get one application',
  components: "one application's components",
};

const size = (step: SizeStep) => `${formatCount(step.objects)} objects`;

export const prismSection: Section = {
  title: 'The prism API at growing sizes',
  method:
    "Applications of ConfigMap components in one namespace, and filler ConfigMaps (in no application, in namespaces of 5,000) bringing the objects to each size; prismgate runs as `npm start` runs it, in its own process. Reads go through kube-apiserver (the aggregation layer) as kubectl's do, each beside its native equivalent in the same round: prismapplications vs the Applications CRD, prismcomponents of one application vs the ConfigMaps its selector picks. Watch delay: a component moves to another application; from the PATCH to the prismapplications watch event with the new component count, and to the ConfigMap's own watch event. Memory after a full GC, once prismgate has taken every object in and settled.",
  async render(result, { chart }) {
    const { steps, empty, applications, componentsPerApplication } = result as PrismResult;
    return [
      `${applications} applications × ${componentsPerApplication} components. prismgate before any of them: RSS ${mib(empty.memory.rssMiB)}, heap ${mib(empty.memory.heapUsedMiB)}, ${empty.watched.toLocaleString('en-US')} objects in its caches.`,
      table(
        [
          'size',
          'in prismgate caches',
          'taken in within',
          'prismgate CPU per object',
          'prismgate RSS',
          'heap after GC',
          'kube-apiserver RSS',
        ],
        steps.map((s) => [
          size(s),
          s.watchedObjects.toLocaleString('en-US'),
          `${(s.ingest.wallMs / 1000).toFixed(1)} s`,
          `${s.ingest.prismgateCpuMicrosPerObject} µs`,
          mib(s.memory.rssMiB),
          mib(s.memory.heapUsedMiB),
          mib(s.kubeApiserverRssMiB),
        ]),
      ),
      table(
        ['size', 'read', 'prism p50', 'native p50', 'p50 ratio', 'prism p99', 'native p99', 'p99 ratio'],
        steps.flatMap((s) =>
          OPERATIONS.map((op) => [
            size(s),
            NAMES[op],
            formatMs(s.latency[op].prism.p50Ms),
            formatMs(s.latency[op].native.p50Ms),
            formatRatio(s.ratios[op].p50),
            formatMs(s.latency[op].prism.p99Ms),
            formatMs(s.latency[op].native.p99Ms),
            formatRatio(s.ratios[op].p99),
          ]),
        ),
      ),
      table(
        [
          'size',
          'prism watch p50',
          'prism watch p99',
          'ConfigMap watch p50',
          'ConfigMap watch p99',
          'missed',
        ],
        steps.map((s) => [
          size(s),
          formatMs(s.watch.prism.p50Ms),
          formatMs(s.watch.prism.p99Ms),
          formatMs(s.watch.native.p50Ms),
          formatMs(s.watch.native.p99Ms),
          String(s.watch.missed),
        ]),
      ),
      await chart(
        'prism-list',
        sizeChart(
          'List of the applications (Table): prism vs the CRD',
          steps.flatMap((s) => [
            { x: size(s), series: 'prism p50', value: s.latency.listTable.prism.p50Ms },
            { x: size(s), series: 'prism p99', value: s.latency.listTable.prism.p99Ms },
            { x: size(s), series: 'CRD p50', value: s.latency.listTable.native.p50Ms },
            { x: size(s), series: 'CRD p99', value: s.latency.listTable.native.p99Ms },
          ]),
          { x: 'objects', y: 'ms', logY: true },
        ),
      ),
      await chart(
        'prism-memory',
        sizeChart(
          'prismgate memory by size',
          steps.flatMap((s) => [
            { x: size(s), series: 'RSS', value: s.memory.rssMiB },
            { x: size(s), series: 'heap after GC', value: s.memory.heapUsedMiB },
          ]),
          { x: 'objects', y: 'MiB' },
        ),
      ),
      await chart(
        'prism-watch',
        sizeChart(
          'Watch delay: PATCH to watch event',
          steps.flatMap((s) => [
            { x: size(s), series: 'prismapplications p50', value: s.watch.prism.p50Ms },
            { x: size(s), series: 'prismapplications p99', value: s.watch.prism.p99Ms },
            { x: size(s), series: 'ConfigMap p99', value: s.watch.native.p99Ms },
          ]),
          { x: 'objects', y: 'ms', logY: true },
        ),
      ),
    ].join('\n\n');
  },
};
