/**
 * prismgate under test, in a process of its own (forked by prismgate-process.ts) as it runs in a pod:
 * the features of `npm start`, the prism API when asked, registered with the local control plane. The benchmark's clients and load generators are then other processes, and the CPU and
 * memory of this process are prismgate's alone.
 *
 * Protocol over the IPC channel: one `start` message, answered by `started`; then calls `{id, call}`,
 * each answered by `{id, ok, result | error}`. `stop` ends the process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { Feature } from '../../features/feature.ts';
import { defaultFeatures } from '../../src/default-features.ts';
import { loadKubeConfig, Prismgate } from '../../src/prismgate.ts';
import { KappnavFeature } from '../../features/kappnav/feature.ts';
import { VimanaFeature } from '../../features/vimana/feature.ts';
import type { HostCall, HostMemory, HostOptions, HostReply, HostStarted } from './prismgate-process.ts';

const READY_TIMEOUT_MS = 120_000;
const MiB = 2 ** 20;

/** Exposed by --expose-gc, which prismgate-process.ts passes: heap figures after a full collection. */
const gc = (globalThis as { gc?: () => void }).gc;

interface Running {
  prismgate: Prismgate;
  features: Feature[];
}

async function start(options: HostOptions): Promise<Running> {
  const kappnav = new KappnavFeature();
  const features = defaultFeatures(kappnav).filter(
    (feature) => !options.features || options.features.includes(feature.name),
  );
  const registration = options.registration ?? 'local';
  const prismgate = await Prismgate.start({
    kubeConfig: loadKubeConfig(options.kubeconfig),
    features,
    // As `npm start` runs it (src/main.ts): every default feature and the prism API (which only a process
    // the cluster registers can serve).
    ...(registration === 'local' && features.includes(kappnav)
      ? { apiServer: kappnav.prismApiServer() }
      : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    log: pino({ name: 'prismgate', level: 'warn' }),
    host: '127.0.0.1',
    webhookPort: 0,
    apiPort: 0,
    registration,
    deregisterOnStop: true,
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!prismgate.ready()) {
    if (Date.now() > deadline) throw new Error(`prismgate not ready within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
  return { prismgate, features };
}

/** Waits until no feature has background work left, so a measurement starts in quiet. */
async function settle({ prismgate, features }: Running): Promise<void> {
  for (const feature of features) {
    if (feature instanceof VimanaFeature) await feature.whenStatusSettled();
    if (feature instanceof KappnavFeature) await feature.idle();
  }
  // Let informer events of the work just finished arrive before the caller measures.
  await sleep(200);
  if (!prismgate.ready()) throw new Error('prismgate is not ready');
}

function memory(): HostMemory {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external) };
}

/** The main thread's profile over one measurement (`--cpu-prof` would span startup, and every thread). */
const profiler = new Session();

async function startProfile(): Promise<void> {
  profiler.connect();
  await profiler.post('Profiler.enable');
  // Finer than the default 1 ms: a review takes a fraction of a millisecond.
  await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
  await profiler.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
}

function answer(call: HostCall, running: Running): Promise<unknown> | unknown {
  switch (call.call) {
    case 'startProfile':
      return startProfile();
    case 'stopProfile':
      return stopProfile(call.file);
    case 'settle':
      return settle(running);
    case 'memory':
      return memory();
    case 'watchedObjects':
      return running.prismgate.services.caches.all().reduce((sum, cache) => sum + cache.size, 0);
    case 'stop':
      return running.prismgate.stop();
  }
}

// A benchmark that dies (Ctrl-C, a crash) must not leave prismgate running on a shared machine.
process.once('disconnect', () => process.exit(1));

process.once('message', (message: { type: 'start'; options: HostOptions }) => {
  const send = (reply: HostStarted | HostReply, then?: () => void) =>
    process.send?.(reply, undefined, {}, then);
  start(message.options).then(
    (running) => {
      const { prismgate } = running;
      process.on('message', (call: HostCall) => {
        Promise.resolve()
          .then(() => answer(call, running))
          .then(
            (result) => {
              send(
                { id: call.id, ok: true, result },
                call.call === 'stop' ? () => process.exit(0) : undefined,
              );
            },
            (error: unknown) => send({ id: call.id, ok: false, error: String(error) }),
          );
      });
      send({
        type: 'started',
        webhookPort: prismgate.webhookPort,
        caBundle: prismgate.caBundle,
      });
    },
    (error: unknown) => {
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      send({ type: 'failed', error: reason }, () => process.exit(1));
    },
  );
});
