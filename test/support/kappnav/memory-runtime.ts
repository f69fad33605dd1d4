/**
 * The kAppNav runtime over a cluster held in memory (`MemoryKappnavSource`): statuses written as merge
 * patches into that cluster, as the API server would, each echoed as an informer would; named objects read
 * from it; and a log whose lines (parsed) the tests read.
 */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { KubeApiError, type KubeClient } from '../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ScriptSandbox } from '../../../pkg/sandbox/script-sandbox.ts';
import { ObjectReader } from '../../../features/kappnav/cluster/object-reader.ts';
import { KappnavRuntime } from '../../../features/kappnav/runtime/kappnav-runtime.ts';
import type { MergePatcher } from '../../../features/kappnav/runtime/status-store.ts';
import { ProblemLog } from '../../../features/kappnav/status/problem-log.ts';
import { SOURCE_TYPES, type MemoryKappnavSource } from './memory-kappnav-source.ts';

/**
 * Applies a merge patch of annotations to the source's current version of the object, as the API server
 * does, and tells the source's listeners (the runtime, a reconciler), as an informer would.
 */
export function memoryPatcher(source: MemoryKappnavSource): MergePatcher & { patches: KubeObject[] } {
  const patches: KubeObject[] = [];
  const patch = async (object: KubeObject, body: object) => {
    patches.push(object);
    const current = source.current(object);
    if (!current) return;
    const changes = (body as { metadata: { annotations: Record<string, string | null> } }).metadata
      .annotations;
    const annotations = { ...current.metadata?.annotations };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete annotations[key];
      else annotations[key] = value;
    }
    const patched = { ...current, metadata: { ...current.metadata, annotations } };
    source.put(patched);
    source.objectChanged({ old: current, new: patched });
  };
  return Object.assign(patch, { patches });
}

/** A client that GETs the source's objects (404 for others) and refuses everything else. */
export function memoryClient(source: MemoryKappnavSource): Pick<KubeClient, 'request'> {
  return {
    request: <T>(method: string, path: string): Promise<T> => {
      if (method === 'GET')
        for (const type of SOURCE_TYPES)
          for (const object of source.list(type))
            if (objectPath(type, object.metadata?.namespace, object.metadata?.name ?? '') === path)
              return Promise.resolve(object as T);
      return Promise.reject(new KubeApiError(404, undefined, 'not found'));
    },
  };
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

export interface MemoryRuntimeOptions {
  /** Where statuses are written; into the source by default. */
  patcher?: MergePatcher;
  /** What named objects are read with; from the source by default. */
  client?: Pick<KubeClient, 'request'>;
  problems?: ProblemLog;
}

export function memoryRuntime(
  source: MemoryKappnavSource,
  sandbox: Pick<ScriptSandbox, 'call'>,
  options: MemoryRuntimeOptions = {},
): KappnavRuntime {
  return new KappnavRuntime({
    cluster: source,
    reader: new ObjectReader(source, options.client ?? memoryClient(source)),
    patcher: options.patcher ?? memoryPatcher(source),
    sandbox,
    problems: options.problems ?? new ProblemLog(pino({ level: 'silent' })),
  });
}
