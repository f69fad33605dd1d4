/**
 * The prism API at growing sizes (1k, 10k, 50k watched objects), through kube-apiserver as kubectl
 * reaches it, against the native equivalent read side by side:
 *
 * - list of 50 applications × 20 components: prismapplications vs the Applications CRD (Table and JSON);
 * - get of one application; the components of one application (prismcomponents vs the ConfigMaps with
 *   the application's selector);
 * - watch delay: a component moves to another application; from the PATCH to the prismapplications watch
 *   event showing the new component count, vs to the ConfigMap watch event;
 * - prismgate's memory (RSS, heap after a full GC) and its CPU per object taken into the caches.
 *
 * Filler ConfigMaps in namespaces of their own (no application selects them) bring the watched objects to
 * each size. prismgate runs as `npm start` runs it, in its own process. Target (issue 6): prism list
 * within 1.5x of the CRD list.
 * kAppNav status propagation (issue 5) is the kappnav-status scenario's.
 */
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { OPT_OUT_LABEL } from '../../src/registration.ts';
import type { Growth, Scenario, ScenarioResult, TargetCheck } from '../scenario.ts';
import { createNamespace, deleteNamespaces, inParallel, kubectl, until } from '../support/cluster.ts';
import { formatCount, formatMs, formatRatio } from '../support/format.ts';
import { growth } from '../support/growth.ts';
import { sampleInterleaved, timed, type Sampler } from '../support/interleaved.ts';
import { ratio, summarize, type LatencySummary } from '../support/latency-summary.ts';
import type { HostMemory } from '../support/prismgate-process.ts';
import { startScenario } from '../support/scenario-setup.ts';
import { processesByName, rssMiB, watchProcess, type ProcessUsage } from '../support/process-usage.ts';
import { WatchEvents } from '../support/watch-events.ts';
import {
  application,
  applicationName,
  componentName,
  configMap,
  filler,
  FILLERS_PER_NAMESPACE,
} from './prism/objects.ts';

export interface PrismResult extends ScenarioResult {
  applications: number;
  componentsPerApplication: number;
  fillersPerNamespace: number;
  /** prismgate before this scenario created anything. */
  empty: { memory: HostMemory; watched: number };
  steps: SizeStep[];
}

const LIST_RATIO_TARGET = 1.5;
const PROPAGATION_TARGET_MS = 3_000;
const NAMESPACE = 'bench-prism';
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const PRISM = `/apis/prism.kappnav.io/v1/namespaces/${NAMESPACE}`;
const NATIVE_APPLICATIONS = `/apis/app.k8s.io/v1beta1/namespaces/${NAMESPACE}/applications`;
const CONFIG_MAPS = (namespace: string) => `/api/v1/namespaces/${namespace}/configmaps`;
const WATCH_TIMEOUT_MS = 30_000;
export const OPERATIONS = ['listTable', 'listJson', 'get', 'components'] as const;
type Operation = (typeof OPERATIONS)[number];

export interface SizeStep {
  /** Objects this scenario created (applications, components, fillers). */
  objects: number;
  /** Objects in all of prismgate's caches (the cluster's other ConfigMaps, namespaces, … too). */
  watchedObjects: number;
  ingest: { created: number; wallMs: number; prismgate: ProcessUsage; prismgateCpuMicrosPerObject: number };
  memory: HostMemory;
  kubeApiserverRssMiB: number;
  latency: Record<Operation, { prism: LatencySummary; native: LatencySummary }>;
  /** prism over native, p50 and p99. */
  ratios: Record<Operation, { p50: number; p99: number }>;
  watch: { prism: LatencySummary; native: LatencySummary; missed: number };
}

/** One read of each operation, the prism API's way or the native way. */
function reads(client: KubeClient, side: 'prism' | 'native'): Sampler {
  const app = applicationName(0);
  const paths =
    side === 'prism'
      ? {
          list: `${PRISM}/prismapplications`,
          get: `${PRISM}/prismapplications/${app}`,
          components: `${PRISM}/prismcomponents?labelSelector=prism.kappnav.io/application=${app}`,
        }
      : {
          list: NATIVE_APPLICATIONS,
          get: `${NATIVE_APPLICATIONS}/${app}`,
          components: `${CONFIG_MAPS(NAMESPACE)}?labelSelector=app=${app}`,
        };
  const read = (path: string, accept = 'application/json') =>
    timed(() => client.request('GET', path, { headers: { accept } }));
  return async () => ({
    listTable: await read(paths.list, TABLE),
    listJson: await read(paths.list),
    get: await read(paths.get),
    components: await read(paths.components),
  });
}

/**
 * Moves components between the first two applications, one at a time, and times the PATCH → watch event
 * delay on both watches.
 */
async function watchDelays(client: KubeClient, samples: number, components: number) {
  const prism = await WatchEvents.open(client, `${PRISM}/prismapplications`);
  const native = await WatchEvents.open(client, CONFIG_MAPS(NAMESPACE));
  const delays = { prism: [] as number[], native: [] as number[], missed: 0 };
  try {
    for (let i = 0; i < samples; i++) {
      // Even samples move cm-00-k to app-01, odd ones move it back.
      const k = Math.floor(i / 2) % components;
      const toSecond = i % 2 === 0;
      const name = componentName(0, k);
      const expected = toSecond ? components - 1 : components;
      const prismSeen = prism.next(
        ({ object }) =>
          object.metadata?.name === applicationName(0) &&
          (object['status'] as { componentCount?: number } | undefined)?.componentCount === expected,
        WATCH_TIMEOUT_MS,
      );
      const nativeSeen = native.next(
        ({ object }) =>
          object.metadata?.name === name &&
          object.metadata?.labels?.['app'] === applicationName(toSecond ? 1 : 0),
        WATCH_TIMEOUT_MS,
      );
      const patchedAt = performance.now();
      await client.request('PATCH', `${CONFIG_MAPS(NAMESPACE)}/${name}`, {
        body: { metadata: { labels: { app: applicationName(toSecond ? 1 : 0) } } },
        contentType: 'application/merge-patch+json',
      });
      const [prismAt, nativeAt] = await Promise.all([prismSeen, nativeSeen]);
      if (prismAt === undefined || nativeAt === undefined) delays.missed += 1;
      else {
        delays.prism.push(prismAt - patchedAt);
        delays.native.push(nativeAt - patchedAt);
      }
      // Apart, so that the model's coalescing of changes does not merge two samples.
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } finally {
    prism.close();
    native.close();
  }
  return { prism: summarize(delays.prism), native: summarize(delays.native), missed: delays.missed };
}

export const scenario: Scenario = {
  name: 'prism',
  description:
    'prism API at 1k/10k/50k watched objects: list/get/components/watch through kube-apiserver vs the native equivalents, memory',
  async run(context): Promise<PrismResult> {
    const { controlPlane, progress, sized } = context;
    const kubeconfig = controlPlane.kubeconfig;
    const apps = sized({ full: 50, quick: 10 });
    const components = sized({ full: 20, quick: 10 });
    const sizes = sized({ full: [1_000, 10_000, 50_000], quick: [500, 2_000] });
    const { client, prismgate, stop } = await startScenario(context, 'prism');
    const namespaces = [NAMESPACE];
    try {
      await until(
        'APIService v1.prism.kappnav.io to be Available',
        async () =>
          (await kubectl(
            kubeconfig,
            'get',
            'apiservice',
            'v1.prism.kappnav.io',
            '-o',
            'jsonpath={.status.conditions[?(@.type=="Available")].status}',
          )) === 'True',
        60_000,
      );
      await prismgate.settle();
      const empty = { memory: await prismgate.memory(), watched: await prismgate.watchedObjects() };
      await createNamespace(client, NAMESPACE);
      const appObjects = Array.from({ length: apps }, (_, a) => [
        application(NAMESPACE, a),
        ...Array.from({ length: components }, (_, c) =>
          configMap(NAMESPACE, componentName(a, c), { app: applicationName(a) }),
        ),
      ]).flat();
      const pids = processesByName(controlPlane.processIds);
      const steps: SizeStep[] = [];
      let created = 0;
      for (const size of sizes) {
        // The applications and their components first, then fillers up to the size.
        const fillersSoFar = Math.max(0, created - appObjects.length);
        const batch = [
          ...(created === 0 ? appObjects : []),
          ...Array.from({ length: size - Math.max(created, appObjects.length) }, (_, i) =>
            filler(fillersSoFar + i),
          ),
        ];
        for (const namespace of new Set(batch.map((o) => o.metadata?.namespace ?? NAMESPACE))) {
          if (namespaces.includes(namespace)) continue;
          // Fillers are no application's components: prismgate's webhooks have nothing to do for them.
          await createNamespace(client, namespace, { [OPT_OUT_LABEL]: 'true' });
          namespaces.push(namespace);
        }
        progress(`${formatCount(size)} objects: creating ${batch.length}`);
        const watchedBefore = await prismgate.watchedObjects();
        const usage = watchProcess(prismgate.pid);
        const started = performance.now();
        await inParallel(batch, sized({ full: 32, quick: 16 }), (object) =>
          client.request(
            'POST',
            object.kind === 'Application'
              ? NATIVE_APPLICATIONS
              : CONFIG_MAPS(object.metadata?.namespace ?? ''),
            { body: object },
          ),
        );
        await until(
          `prismgate's caches to hold the ${batch.length} new objects`,
          async () => (await prismgate.watchedObjects()) >= watchedBefore + batch.length,
          600_000,
          500,
        );
        await until(
          `${apps} prism applications of ${components} components`,
          async () => {
            const list = await client.request<{ items: { status: { componentCount: number } }[] }>(
              'GET',
              `${PRISM}/prismapplications`,
            );
            return (
              list.items.length === apps && list.items.every((a) => a.status.componentCount === components)
            );
          },
          300_000,
          500,
        );
        await prismgate.settle();
        const wallMs = performance.now() - started;
        const ingest = usage();
        created += batch.length;
        progress(`  taken in within ${Math.round(wallMs / 100) / 10} s; measuring reads`);

        const samples = await sampleInterleaved(
          { prism: reads(client, 'prism'), native: reads(client, 'native') },
          { rounds: sized({ full: 60, quick: 15 }), warmup: sized({ full: 5, quick: 2 }), workers: 1 },
        );
        const latency = Object.fromEntries(
          OPERATIONS.map((op) => [
            op,
            { prism: summarize(samples.prism[op] ?? []), native: summarize(samples.native[op] ?? []) },
          ]),
        ) as SizeStep['latency'];
        progress('  measuring watch delays');
        const watch = await watchDelays(client, sized({ full: 30, quick: 8 }), components);
        const step: SizeStep = {
          objects: created,
          watchedObjects: await prismgate.watchedObjects(),
          ingest: {
            created: batch.length,
            wallMs: Math.round(wallMs),
            prismgate: ingest,
            prismgateCpuMicrosPerObject: Math.round((ingest.cpuMs * 1000) / batch.length),
          },
          memory: await prismgate.memory(),
          kubeApiserverRssMiB: pids['kube-apiserver'] ? rssMiB(pids['kube-apiserver']) : NaN,
          latency,
          ratios: Object.fromEntries(
            OPERATIONS.map((op) => [
              op,
              {
                p50: ratio(latency[op].prism.p50Ms, latency[op].native.p50Ms),
                p99: ratio(latency[op].prism.p99Ms, latency[op].native.p99Ms),
              },
            ]),
          ) as SizeStep['ratios'],
          watch,
        };
        progress(
          `  list (Table) p50 prism ${formatMs(latency.listTable.prism.p50Ms)} vs CRD ${formatMs(latency.listTable.native.p50Ms)}; watch p99 ${formatMs(watch.prism.p99Ms)}; heap ${step.memory.heapUsedMiB} MiB`,
        );
        steps.push(step);
      }
      return {
        applications: apps,
        componentsPerApplication: components,
        fillersPerNamespace: FILLERS_PER_NAMESPACE,
        empty,
        steps,
        targets: prismTargets(steps),
        growth: prismGrowth(steps, empty),
      };
    } finally {
      await deleteNamespaces(client, namespaces).catch(() => undefined);
      await stop();
    }
  },
};

function prismTargets(steps: SizeStep[]): TargetCheck[] {
  const lists = steps.map((step) => ({
    figure: `prism list of the applications over the CRD list, Table, p50 (${formatCount(step.objects)} objects)`,
    target: `≤ ${LIST_RATIO_TARGET}x`,
    measured: formatRatio(step.ratios.listTable.p50),
    met: step.ratios.listTable.p50 <= LIST_RATIO_TARGET,
    note: `p50 ${formatMs(step.latency.listTable.prism.p50Ms)} vs ${formatMs(step.latency.listTable.native.p50Ms)}; p99 ratio ${formatRatio(step.ratios.listTable.p99)}`,
  }));
  // The largest size up to 10k is the one the target names.
  const at10k = steps.filter((step) => step.objects <= 10_000).at(-1) ?? steps[0]!;
  return [
    ...lists,
    {
      figure: `prism API watch propagation p99 (${formatCount(at10k.objects)} objects)`,
      target: `< ${formatMs(PROPAGATION_TARGET_MS)}`,
      measured: formatMs(at10k.watch.prism.p99Ms),
      met: at10k.watch.missed === 0 && at10k.watch.prism.p99Ms < PROPAGATION_TARGET_MS,
      note: `a component moving between applications, PATCH → prismapplications watch event; the ConfigMap's own watch event: p99 ${formatMs(at10k.watch.native.p99Ms)}${at10k.watch.missed ? `; ${at10k.watch.missed} missed` : ''}`,
    },
  ];
}

function prismGrowth(steps: SizeStep[], empty: { memory: HostMemory; watched: number }): Growth[] {
  const figures: [string, string, (step: SizeStep) => number][] = [
    ['prism list p99 (Table)', 'ms', (s) => s.latency.listTable.prism.p99Ms],
    ['CRD list p99 (Table)', 'ms', (s) => s.latency.listTable.native.p99Ms],
    ['prism get p99', 'ms', (s) => s.latency.get.prism.p99Ms],
    ['prism components of one application p99', 'ms', (s) => s.latency.components.prism.p99Ms],
    ['prism watch delay p99', 'ms', (s) => s.watch.prism.p99Ms],
    ['prismgate heap after GC', 'MiB', (s) => s.memory.heapUsedMiB],
    ['prismgate RSS', 'MiB', (s) => s.memory.rssMiB],
    [
      'prismgate heap per 1k watched objects',
      'MiB',
      (s) => ((s.memory.heapUsedMiB - empty.memory.heapUsedMiB) / (s.watchedObjects - empty.watched)) * 1000,
    ],
    ['prismgate CPU per object taken in', 'µs', (s) => s.ingest.prismgateCpuMicrosPerObject],
  ];
  return figures.map(([figure, unit, value]) =>
    growth(
      figure,
      unit,
      steps.map((step) => ({ size: `${formatCount(step.objects)} objects`, value: value(step) })),
    ),
  );
}
