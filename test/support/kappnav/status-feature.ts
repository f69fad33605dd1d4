/**
 * The status feature's parts over a cluster held in memory: an environment with the shipped status
 * maps, a store that writes merge patches back into that cluster (as the API server would), and a
 * problem log whose lines the tests can read.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { readKappnavConfig } from '../../../features/kappnav/model/config.ts';
import type { ObjectChange } from '../../../features/kappnav/model/application-graph.ts';
import { MemoryCluster } from './memory-cluster.ts';
import { ComponentStatusEngine } from '../../../features/kappnav/status/component-status.ts';
import { DesignNameStatusMapLocator } from '../../../features/kappnav/status/status-map-locator.ts';
import { shippedStatusMaps, TEST_TYPES } from './status-fixtures.ts';
import type { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { ProblemLog } from '../../../features/kappnav/status/problem-log.ts';
import type { StatusEnvironment } from '../../../features/kappnav/status/status-environment.ts';
import type { StatusSettings } from '../../../features/kappnav/status/status-settings.ts';
import { StatusStore, type MergePatcher } from '../../../features/kappnav/runtime/status-store.ts';

export class MemoryEnvironment implements StatusEnvironment {
  readonly cluster: MemoryCluster;
  readonly view: MemoryCluster;
  readonly registry: MemoryCluster;
  private readonly fixed: StatusSettings;
  /** Whether the informers have listed; tests turn it off. */
  listed = true;

  constructor(
    objects: KubeObject[],
    sandbox: Pick<ScriptSandbox, 'call'>,
    config: Record<string, string> = {},
  ) {
    this.cluster = new MemoryCluster(TEST_TYPES, [...shippedStatusMaps(), ...objects]);
    this.view = this.cluster;
    this.registry = this.cluster;
    const { config: read } = readKappnavConfig(config);
    this.fixed = {
      config: read,
      engine: new ComponentStatusEngine(new DesignNameStatusMapLocator(this.cluster), {
        sandbox,
        config: read,
      }),
    };
  }

  settings(): StatusSettings {
    return this.fixed;
  }

  current(object: KubeObject): KubeObject | undefined {
    return this.cluster.current(object);
  }

  synced(): boolean {
    return this.listed;
  }

  prepare(): Promise<{ kindsChanged: boolean }> {
    return Promise.resolve({ kindsChanged: false });
  }

  /** The object of `kind` `namespace/name` as the cluster holds it now. */
  get(kind: string, name: string, namespace = 'default'): KubeObject | undefined {
    const type = TEST_TYPES.find((t) => t.kind === kind)!;
    return this.cluster.list(type, namespace).find((o) => o.metadata?.name === name);
  }

  /** `kappnav.status.value` of an object, as stored. */
  value(kind: string, name: string, namespace = 'default'): string | undefined {
    return this.get(kind, name, namespace)?.metadata?.annotations?.['kappnav.status.value'];
  }
}

/**
 * Applies a merge patch of annotations to the cluster's current version of the object, as the API server
 * does, and hands the change to `echo`, as an informer would.
 */
export function memoryPatcher(
  cluster: MemoryCluster,
  echo: (change: ObjectChange) => void = () => {},
): MergePatcher & { patches: KubeObject[] } {
  const patches: KubeObject[] = [];
  const patch = async (object: KubeObject, body: object) => {
    patches.push(object);
    const current = cluster.current(object);
    if (!current) return;
    const changes = (body as { metadata: { annotations: Record<string, string | null> } }).metadata
      .annotations;
    const annotations = { ...current.metadata?.annotations };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete annotations[key];
      else annotations[key] = value;
    }
    const patched = { ...current, metadata: { ...current.metadata, annotations } };
    cluster.put(patched);
    echo({ old: current, new: patched });
  };
  return Object.assign(patch, { patches });
}

export function memoryStore(cluster: MemoryCluster): StatusStore {
  return new StatusStore(memoryPatcher(cluster));
}

/** A logger whose lines (parsed) the test reads, and a problem log on it. */
export function recordingLog(): { log: Logger; lines: Record<string, unknown>[]; problems: ProblemLog } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink);
  return { log, lines, problems: new ProblemLog(log) };
}
