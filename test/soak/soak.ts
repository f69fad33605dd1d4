/**
 * `npm run -s soak [-- --minutes 5 --warmup 60 --threshold 2 --interval 5 --reviews-per-second 50 --out f]`:
 * prismgate under sustained load for minutes, its memory sampled, the trend reported.
 *
 * A control plane of its own (so nothing else disturbs the figures), prismgate as its own process (as
 * `npm start` runs it), the steady load of soak-load.ts, and every `interval` seconds the process's RSS
 * (/proc) and V8 heap in use (its /metrics). After `warmup` seconds, the slope of each in MiB per minute
 * must stay within `threshold`, and no request may fail. Progress goes to stderr; the report, one JSON
 * document, to stdout. The exit code is 1 when the soak fails.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKubeConfig } from '../../src/prismgate.ts';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { LocalControlPlane } from '../control-plane/local-control-plane.ts';
import { domain, server, vimana } from '../e2e/reliability-fixtures.ts';
import { PrismgateMain } from '../e2e/support/prismgate-main.ts';
import { eventually } from '../support/eventually.ts';
import { trendOf, type Sample } from './memory-trend.ts';
import { SoakLoad } from './soak-load.ts';

const MiB = 1024 * 1024;
const NAMESPACES = 2;

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '60' },
    threshold: { type: 'string', default: '2' },
    interval: { type: 'string', default: '5' },
    'reviews-per-second': { type: 'string', default: '50' },
    out: { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const warmupSeconds = Number(args.warmup);
const thresholdMiBPerMin = Number(args.threshold);
const intervalSeconds = Number(args.interval);
const reviewsPerSecond = Number(args['reviews-per-second']);
const progress = (line: string) => console.error(`[soak] ${line}`);
/** A trend needs a few windows after the warm-up; fewer would judge a slope of nothing as flat. */
const MIN_WINDOWS = 3;
const windowSeconds = Math.max(30, intervalSeconds * 6);
if (!(minutes * 60 - warmupSeconds >= MIN_WINDOWS * windowSeconds)) {
  console.error(
    `--minutes ${args.minutes} leaves less than ${MIN_WINDOWS} windows of ${windowSeconds} s after the ` +
      `${warmupSeconds} s warm-up: too short to judge a memory trend`,
  );
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-soak-'));
const controlPlane = await LocalControlPlane.start({ dir, log: progress });
const kubectl = (command: string[], input?: object) =>
  execFileSync('kubectl', ['--kubeconfig', controlPlane.kubeconfig, ...command], {
    stdio: 'pipe',
    ...(input ? { input: JSON.stringify(input) } : {}),
  });
let prismgate: PrismgateMain | undefined;
let errorLogs = 0;
try {
  progress('installing the CRDs and kAppNav defaults');
  kubectl(['create', 'namespace', 'kappnav']);
  kubectl(['apply', '--server-side', '-f', path.join(root, 'manifests/crds')]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', path.join(root, 'manifests/crds')]);
  kubectl(['apply', '--server-side', '-f', path.join(root, 'manifests/kappnav')]);
  // /metrics answers only a token whose user may get it, as Prometheus's ServiceAccount would be allowed.
  kubectl(['create', 'serviceaccount', 'soak-metrics', '-n', 'default']);
  kubectl(['create', 'clusterrole', 'soak-metrics', '--verb=get', '--non-resource-url=/metrics']);
  kubectl([
    'create',
    'clusterrolebinding',
    'soak-metrics',
    '--clusterrole=soak-metrics',
    '--serviceaccount=default:soak-metrics',
  ]);
  const metricsToken = kubectl(['create', 'token', 'soak-metrics', '-n', 'default', '--duration=24h'])
    .toString()
    .trim();
  prismgate = await PrismgateMain.start({
    kubeconfig: controlPlane.kubeconfig,
    identity: 'soak',
    onLog: (line) => {
      if (line.includes('"level":50') || line.includes('"level":60')) errorLogs++;
    },
  });
  await eventually('prismgate to be ready', () => prismgate!.ready(), 120_000, 500);
  progress(`prismgate ready (pid ${prismgate.pid}, webhook port ${prismgate.webhookPort})`);

  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => ({
    name: `soak-${i}`,
    domainId: randomBytes(16).toString('hex'),
  }));
  for (const ns of namespaces) {
    kubectl(['create', 'namespace', ns.name]);
    const application = {
      apiVersion: 'app.k8s.io/v1beta1',
      kind: 'Application',
      metadata: { name: 'soak', namespace: ns.name },
      spec: {
        componentKinds: [{ group: 'core', kind: 'Service' }],
        selector: { matchLabels: { app: 'soak' } },
      },
    };
    for (const object of [
      vimana(ns.name),
      domain(ns.name, ns.domainId),
      server(ns.name, ns.domainId, 'payments'),
      application,
    ])
      kubectl(['create', '-f', '-'], object);
  }

  const client = new KubeClient(loadKubeConfig(controlPlane.kubeconfig));
  const load = new SoakLoad({ client, namespaces, webhookPort: prismgate.webhookPort, reviewsPerSecond });
  const samples: Sample[] = [];
  const started = Date.now();
  load.start();
  progress(
    `load running for ${minutes} min (warm-up ${warmupSeconds} s, a sample every ${intervalSeconds} s)`,
  );
  for (let next = started; Date.now() - started < minutes * 60_000;) {
    const sample: Sample = {
      t: Math.round((Date.now() - started) / 100) / 10,
      rssMiB: prismgate.rssBytes() / MiB,
      heapUsedMiB: (await prismgate.metric('prismgate_nodejs_heap_size_used_bytes', metricsToken)) / MiB,
    };
    samples.push(sample);
    if (samples.length % Math.max(1, Math.round(30 / intervalSeconds)) === 0) {
      const c = load.counters;
      progress(
        `${sample.t.toFixed(0)} s: rss ${sample.rssMiB.toFixed(1)} MiB, heap ${sample.heapUsedMiB.toFixed(1)} MiB; ` +
          `vimana ${c.vimanaWrites.requests}, kappnav ${c.kappnavWrites.requests}, prism ${c.prismLists.requests}, ` +
          `reviews ${c.webhookReviews.requests}, failures ${Object.values(c).reduce((n, x) => n + x.failures, 0)}`,
      );
    }
    next += intervalSeconds * 1000;
    await sleep(Math.max(0, next - Date.now()));
  }
  await load.stop();
  client.close();

  const elapsedSeconds = (Date.now() - started) / 1000;
  const rss = trendOf(samples, (s) => s.rssMiB, warmupSeconds, windowSeconds);
  const heapUsed = trendOf(samples, (s) => s.heapUsedMiB, warmupSeconds, windowSeconds);
  const failures = Object.values(load.counters).reduce((n, c) => n + c.failures, 0);
  // See memory-trend.ts: the heap's floor and RSS's ceiling are what a leak raises.
  const judged = { heapFloor: heapUsed.floorSlopeMiBPerMin, rssCeiling: rss.ceilingSlopeMiBPerMin };

  const report = {
    startedAt: new Date(started).toISOString(),
    minutes: Math.round((elapsedSeconds / 60) * 100) / 100,
    warmupSeconds,
    sampleIntervalSeconds: intervalSeconds,
    windowSeconds,
    load: Object.fromEntries(
      Object.entries(load.counters).map(([stream, c]) => [
        stream,
        { ...c, perSecond: Math.round((c.requests / elapsedSeconds) * 10) / 10 },
      ]),
    ),
    prismgateErrorLogLines: errorLogs,
    memoryMiB: { rss, heapUsed },
    thresholdMiBPerMin,
    judgedSlopesMiBPerMin: judged,
    pass: Object.values(judged).every((slope) => slope <= thresholdMiBPerMin) && failures === 0,
    samples,
  };
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  if (args.out) writeFileSync(args.out, `${json}\n`);
  progress(
    `${report.pass ? 'PASS' : 'FAIL'}: heap floor ${judged.heapFloor} MiB/min, RSS ceiling ${judged.rssCeiling} ` +
      `MiB/min (threshold ${thresholdMiBPerMin}); ${failures} failed requests`,
  );
  process.exitCode = report.pass ? 0 : 1;
} finally {
  await prismgate?.stop();
  await controlPlane.stop();
  rmSync(dir, { recursive: true, force: true });
}
