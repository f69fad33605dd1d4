/**
 * The one kAppNav runtime of a prismgate process: the status webhook, the reconciler, the lifecycle API
 * and the prism resources all read and compute through it, so they agree.
 *
 *   KappnavCluster (one informer-backed view over the shared CacheSet; kappnav-config read once per version)
 *     └─▶ ResourceInsights (status, action map, section map per object version; new when the maps change)
 *           └─▶ StatusEvaluation (one per piece of work: roll-ups over a view, or over a view with one
 *                                 object laid over it)
 *   StatusStore (merge patches of the status annotations; writers take turns, after their echoes)
 *   StatusLifecycle (the lifecycle-event API)
 *
 * One time budget for status map scripts: 500 ms. kAppNav's scripts are a few comparisons, a failed run
 * is retried once, and the status webhook gives up after 1 s; with 500 ms a script that loops costs one
 * webhook call its whole deadline at most, holds a sandbox worker half as long as the sandbox's 1 s
 * default would, and its outcome is remembered per input, so it costs that once.
 */
import type { Logger } from 'pino';
import type { ApiDiscovery } from '../../../pkg/kube/api-discovery.ts';
import type { CacheSet } from '../../../pkg/kube/cache-set.ts';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ResourceActionMap } from '../actions/action-map.ts';
import type { SectionMap } from '../kam/section-map.ts';
import type { ClusterView } from '../model/cluster-view.ts';
import type { ScriptRunner } from '../../../pkg/sandbox/script-sandbox.ts';
import { ProblemLog } from '../status/problem-log.ts';
import { KappnavCluster } from '../cluster/kappnav-cluster.ts';
import type { KappnavSource } from '../cluster/kappnav-source.ts';
import { ObjectReader } from '../cluster/object-reader.ts';
import { ResourceInsights } from './resource-insights.ts';
import { StatusEvaluation } from './status-evaluation.ts';
import { StatusLifecycle } from './status-lifecycle.ts';
import { kubeMergePatcher, StatusStore, type MergePatcher } from './status-store.ts';

/** Time budget of one status map `algorithm` run; see above. */
export const ALGORITHM_TIMEOUT_MS = 500;

/** What the runtime is built from (a subset of the process's shared services). */
export interface RuntimeServices {
  /** prismgate's own identity: informers, reads of named objects, status writes. */
  client: KubeClient;
  caches: CacheSet;
  discovery: ApiDiscovery;
  /** Runs status map algorithms. */
  sandbox: ScriptRunner;
  log: Logger;
  /** kAppNav's namespace: kappnav-config, the shipped maps, the default KindActionMapping. */
  kappnavNamespace: string;
}

export interface KappnavRuntimeOptions {
  /** Time budget of one status map `algorithm` run. */
  algorithmTimeoutMs?: number;
  /** How long preparing waits for a new informer's first list before it goes on without it. */
  syncWaitMs?: number;
}

/** The runtime's parts: the informer-backed ones in a process, memory-backed ones in tests. */
export interface RuntimeParts {
  cluster: KappnavSource;
  /** Reads a named object: from the informers when its kind is followed, else (or `fresh`) with one GET. */
  reader: ObjectReader;
  patcher: MergePatcher;
  sandbox: ScriptRunner;
  problems: ProblemLog;
  algorithmTimeoutMs?: number;
  /** Stops what the parts started (the informers). */
  stop?: () => void;
}

export class KappnavRuntime {
  readonly cluster: KappnavSource;
  readonly reader: ObjectReader;
  readonly store: StatusStore;
  readonly problems: ProblemLog;
  readonly lifecycle: StatusLifecycle;
  private memo: ResourceInsights | undefined;
  private readonly unsubscribe: () => void;

  /** The runtime over the process's informers. */
  static start(services: RuntimeServices, options: KappnavRuntimeOptions = {}): KappnavRuntime {
    const { client, caches, discovery, sandbox, log, kappnavNamespace } = services;
    const problems = new ProblemLog(log);
    const cluster = new KappnavCluster({
      caches,
      discovery,
      kappnavNamespace,
      problems,
      log,
      client,
      ...(options.syncWaitMs === undefined ? {} : { syncWaitMs: options.syncWaitMs }),
    });
    return new KappnavRuntime({
      cluster,
      reader: new ObjectReader(cluster, client),
      patcher: kubeMergePatcher(client, discovery),
      sandbox,
      problems,
      ...(options.algorithmTimeoutMs === undefined ? {} : { algorithmTimeoutMs: options.algorithmTimeoutMs }),
      stop: () => cluster.stop(),
    });
  }

  constructor(private readonly parts: RuntimeParts) {
    this.cluster = parts.cluster;
    this.reader = parts.reader;
    this.problems = parts.problems;
    this.store = new StatusStore(parts.patcher);
    this.lifecycle = new StatusLifecycle(this);
    this.unsubscribe = this.cluster.onChange((event) => {
      // Every writer's echo is noted here, whoever wrote (a reconciler batch, a lifecycle event).
      if (event.type === 'object') this.store.noteEcho(event.change);
      if (event.type === 'maps') this.memo = undefined;
    });
  }

  /** What is remembered per object version, for the maps and kappnav-config of now. */
  insights(): ResourceInsights {
    this.memo ??= new ResourceInsights(this.cluster, {
      sandbox: this.parts.sandbox,
      algorithmTimeoutMs: this.parts.algorithmTimeoutMs ?? ALGORITHM_TIMEOUT_MS,
    });
    return this.memo;
  }

  /** A fresh evaluation over the informers as they are now, or over `view` (an overlay of them). */
  evaluation(view: ClusterView = this.cluster): StatusEvaluation {
    return new StatusEvaluation(this.cluster, this.insights(), view);
  }

  /** The merged action map and the section map of an object. */
  mapsOf(object: KubeObject): { actions: ResourceActionMap; sections: SectionMap } {
    const insights = this.insights();
    return { actions: insights.actionsOf(object), sections: insights.sectionsOf(object) };
  }

  stop(): void {
    this.unsubscribe();
    this.parts.stop?.();
  }
}
