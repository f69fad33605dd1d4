/**
 * kAppNav status at scale (issue 5): 1,000 Deployments under 50 applications (5 top-level applications,
 * each over 9 child applications of about 22 Deployments), on the local control plane.
 *
 * - Propagation delay: a probe Deployment's Pod is made ready or not; the real Deployment controller
 *   changes the Deployment's status; the delay runs from that status change to the new
 *   `kappnav.status.value` on the top-level application, both seen by one watcher in this process (so
 *   watch delivery counts on both ends). The Pod-to-annotation time is reported too. Target: under 3 s.
 * - Reconciler CPU per event: over the measurement, the CPU of status computation, and the process CPU
 *   (all threads) while batches ran, writes and the webhook answering them included, each divided by
 *   the informer events the batches handled. prismgate runs in this process because these figures come
 *   from the feature itself.
 * - A full recompute of every status (as after a status map or kappnav-config change), wall and CPU time.
 *
 * `--quick` runs the same at 100 Deployments under 10 applications.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { CacheSet } from '../../pkg/kube/cache-set.ts';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { ResourceCache } from '../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { loadKubeConfig, Prismgate } from '../../src/prismgate.ts';
import { KappnavFeature } from '../../features/kappnav/feature.ts';
import type { ReconcilerStats } from '../../features/kappnav/runtime/status-reconciler.ts';
import type { BenchSize, Scenario } from '../scenario.ts';
import { createNamespace, inParallel, installKappnav, kubectl, until } from '../support/cluster.ts';
import { summarize } from '../support/latency-summary.ts';

const NAMESPACE = 'bench-kappnav';
const READY_TIMEOUT_MS = 120_000;

/** The applications and Deployments of one run: `topLevel` applications, each over `children / topLevel`. */
interface Shape {
  components: number;
  topLevel: number;
  children: number;
  samples: number;
}

const SHAPES: Record<BenchSize, Shape> = {
  full: { components: 1_000, topLevel: 5, children: 45, samples: 100 },
  quick: { components: 100, topLevel: 2, children: 8, samples: 20 },
};
/** Deployments of one replica whose Pod the benchmark flips; all others run zero replicas (Normal). */
const PROBES = 10;
const TARGET_MS = 3_000;
/** A sample whose Deployment or application event does not come within this long counts as missed. */
const SAMPLE_TIMEOUT_MS = 30_000;
const STATUS_VALUE = 'kappnav.status.value';

const topName = (t: number) => `top-${t}`;
const childName = (c: number) => `child-${c}`;
/** The child application of Deployment `d`. */
const childOf = (shape: Shape, d: number) => d % shape.children;
/** The top-level application of child `c`. */
const topOf = (shape: Shape, c: number) => c % shape.topLevel;

function application(
  name: string,
  labels: Record<string, string>,
  kind: string,
  selector: object,
): KubeObject {
  const group = kind === 'Application' ? 'app.k8s.io' : 'apps';
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: { name, namespace: NAMESPACE, labels },
    spec: { componentKinds: [{ group, kind }], selector },
  };
}

function deployment(shape: Shape, d: number): KubeObject {
  const name = `d-${d}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NAMESPACE, labels: { child: childName(childOf(shape, d)) } },
    spec: {
      replicas: d < PROBES ? 1 : 0,
      selector: { matchLabels: { pod: name } },
      template: {
        metadata: { labels: { pod: name } },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/none' }] },
      },
    },
  };
}

/** Resolves once `cache` has delivered no event for `quietMs`: the controllers are done with the objects. */
async function quiet(cache: ResourceCache, quietMs: number, timeoutMs: number): Promise<void> {
  let last = performance.now();
  const unsubscribe = cache.onEvent(() => (last = performance.now()));
  try {
    await until(`${cache.type.resource} to be quiet`, () => performance.now() - last > quietMs, timeoutMs);
  } finally {
    unsubscribe();
  }
}

/**
 * Resolves with the time of the first event on `cache` whose object satisfies `accept`, or undefined
 * when none comes within `timeoutMs`.
 */
function nextEvent(cache: ResourceCache, accept: (object: KubeObject) => boolean, timeoutMs: number) {
  return new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(undefined);
    }, timeoutMs);
    const unsubscribe = cache.onEvent((event) => {
      if (event.type === 'DELETED' || !accept(event.object)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(performance.now());
    });
  });
}

async function setPodReady(client: KubeClient, pod: string, ready: boolean): Promise<void> {
  const status = {
    phase: ready ? 'Running' : 'Pending',
    conditions: [
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() },
    ],
  };
  await client.request('PATCH', `/api/v1/namespaces/${NAMESPACE}/pods/${pod}/status`, {
    body: { status },
    contentType: 'application/merge-patch+json',
  });
}

function delta(after: ReconcilerStats, before: ReconcilerStats) {
  const events = after.events - before.events;
  const cpuMicros = after.cpuMicros - before.cpuMicros;
  const computeMicros = after.computeCpuMicros - before.computeCpuMicros;
  const perEvent = (micros: number) => (events > 0 ? Math.round(micros / events) : null);
  return {
    events,
    skippedEchoes: after.skipped - before.skipped,
    batches: after.batches - before.batches,
    writes: after.writes - before.writes,
    cpuMs: Math.round(cpuMicros) / 1000,
    /** Process CPU while batches ran (writes, the webhook answering them, watch events included). */
    cpuMicrosPerEvent: perEvent(cpuMicros),
    /** The status computation alone. */
    computeCpuMicrosPerEvent: perEvent(computeMicros),
  };
}

export const scenario: Scenario = {
  name: 'kappnav-status',
  description:
    'kAppNav status: 1,000 Deployments under 50 applications; propagation delay to the top-level application and reconciler CPU per event',
  async run({ controlPlane, progress, sized }) {
    const shape = sized(SHAPES);
    await installKappnav(controlPlane.kubeconfig);

    const kubeConfig = loadKubeConfig(controlPlane.kubeconfig);
    const client = new KubeClient(kubeConfig);
    const log = pino({ level: 'warn' });
    const watchers = new CacheSet(client, log);
    const feature = new KappnavFeature();
    let prismgate: Prismgate | undefined;
    try {
      await createNamespace(client, NAMESPACE);
      const deployments = watchers.get(CORE_TYPES.deployments, { namespace: NAMESPACE });
      const applications = watchers.get(CORE_TYPES.applications, { namespace: NAMESPACE });
      const started = await Prismgate.start({
        kubeConfig,
        features: [feature],
        log,
        host: '127.0.0.1',
        webhookPort: 0,
        apiPort: 0,
        registration: 'local',
        deregisterOnStop: true,
      });
      prismgate = started;
      await until('prismgate to be ready', () => started.ready(), READY_TIMEOUT_MS);
      const created = performance.now();
      progress(
        `creating ${shape.topLevel + shape.children} applications and ${shape.components} Deployments`,
      );
      const apps = [
        ...Array.from({ length: shape.topLevel }, (_, t) =>
          application(topName(t), {}, 'Application', { matchLabels: { top: topName(t) } }),
        ),
        ...Array.from({ length: shape.children }, (_, c) =>
          application(childName(c), { top: topName(topOf(shape, c)) }, 'Deployment', {
            matchLabels: { child: childName(c) },
          }),
        ),
      ];
      const appsPath = `/apis/app.k8s.io/v1beta1/namespaces/${NAMESPACE}/applications`;
      await inParallel(apps, 8, (body) => client.request('POST', appsPath, { body }));
      const deploymentsPath = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`;
      await inParallel(
        Array.from({ length: shape.components }, (_, d) => deployment(shape, d)),
        16,
        (body) => client.request('POST', deploymentsPath, { body }),
      );

      progress('making the probes ready and waiting for every application to be Normal');
      const pods = new Map<number, string>();
      const podCache = watchers.get(CORE_TYPES.pods, { namespace: NAMESPACE });
      await podCache.synced;
      for (let p = 0; p < PROBES; p++) {
        const podOf = () => podCache.list().find((o) => o.metadata?.labels?.pod === `d-${p}`)?.metadata?.name;
        await until(`the Pod of d-${p}`, () => podOf() !== undefined, 300_000);
        pods.set(p, podOf()!);
        await setPodReady(client, pods.get(p)!, true);
      }
      await applications.synced;
      const allNormal = () =>
        apps.every(
          (a) =>
            applications.get(NAMESPACE, a.metadata!.name!)?.metadata?.annotations?.[STATUS_VALUE] ===
            'Normal',
        );
      // The controller manager writes a thousand Deployment statuses at its client rate limit: minutes.
      await until('every application to be Normal', allNormal, 900_000);
      await feature.idle();
      const convergedMs = Math.round(performance.now() - created);
      // The controllers keep updating conditions for a while; measuring behind that backlog would time
      // the controller manager's rate limit, not prismgate.
      progress('waiting for the controllers to be done with the Deployments');
      await quiet(deployments, 5_000, 600_000);

      progress(`${shape.samples} samples of Pod readiness → Deployment status → top-level application`);
      const before = feature.stats()!;
      const fromStatus: number[] = [];
      const fromPod: number[] = [];
      let missed = 0;
      for (let i = 0; i < shape.samples; i++) {
        // Down then up again, so every sample moves its top-level application.
        const p = Math.floor(i / 2) % PROBES;
        const ready = i % 2 === 1;
        const expected = ready ? 'Normal' : 'Problem';
        const top = topName(topOf(shape, childOf(shape, p)));
        const statusChanged = nextEvent(
          deployments,
          (o) =>
            o.metadata?.name === `d-${p}` &&
            ((o.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0) ===
              (ready ? 1 : 0),
          SAMPLE_TIMEOUT_MS,
        );
        const annotated = nextEvent(
          applications,
          (o) => o.metadata?.name === top && o.metadata?.annotations?.[STATUS_VALUE] === expected,
          SAMPLE_TIMEOUT_MS,
        );
        const patched = performance.now();
        await setPodReady(client, pods.get(p)!, ready);
        const [statusAt, annotatedAt] = await Promise.all([statusChanged, annotated]);
        if (statusAt === undefined || annotatedAt === undefined) missed += 1;
        else {
          fromStatus.push(annotatedAt - statusAt);
          fromPod.push(annotatedAt - patched);
        }
        await feature.idle();
      }
      const steady = delta(feature.stats()!, before);

      progress('a full recompute (kappnav-config changed)');
      const full = feature.stats()!;
      const recomputeStarted = performance.now();
      await kubectl(
        controlPlane.kubeconfig,
        'annotate',
        'configmap',
        'kappnav-config',
        '-n',
        'kappnav',
        `bench/touched=${Date.now()}`,
      );
      await sleep(200);
      await feature.idle();
      const recomputeMs = Math.round(performance.now() - recomputeStarted);
      const propagation = summarize(fromStatus);
      const recompute = { wallMs: recomputeMs, ...delta(feature.stats()!, full) };
      return {
        targets: [
          {
            figure: 'Deployment status change → its top-level application annotation, p99',
            target: `< ${TARGET_MS / 1000} s`,
            measured: `${propagation.p99Ms} ms`,
            met: missed === 0 && propagation.p99Ms < TARGET_MS,
            ...(missed > 0
              ? { note: `${missed} samples saw no change within ${SAMPLE_TIMEOUT_MS / 1000} s` }
              : {}),
          },
        ],
        components: shape.components,
        applications: {
          total: shape.topLevel + shape.children,
          topLevel: shape.topLevel,
          nestedUnderEach: shape.children / shape.topLevel,
        },
        setupConvergedMs: convergedMs,
        propagationDelay: {
          measured:
            'Deployment status change → kappnav.status.value on its top-level application (watch to watch)',
          ...propagation,
          missedSamples: missed,
        },
        podReadinessToTopLevel: summarize(fromPod),
        reconcilerDuringSamples: steady,
        fullRecompute: recompute,
      };
    } finally {
      await prismgate?.stop();
      await watchers.stop();
      client.close();
    }
  },
};
