/**
 * What kAppNav computes for one object version: its status (from its status map), its merged action map
 * and its section map, each computed once. Informer caches replace an object when it changes, so the
 * object itself is the key; a change of the maps, the KindActionMappings or kappnav-config makes the
 * runtime start a new instance (`KappnavRuntime.insights`).
 *
 * The status webhook, the reconciler, the lifecycle API and the prism resources all read statuses here,
 * so they agree: a status is what the object's status map gives, never a copy read back from annotations.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { actionMapFor, type ResourceActionMap } from '../actions/action-map.ts';
import { mappingSubjectOf } from '../kam/mapping-subject.ts';
import { sectionMapFor, type SectionMap } from '../kam/section-map.ts';
import { statusMapLocator } from '../kam/status-map-locator.ts';
import type { KappnavConfig } from '../model/config.ts';
import type { ScriptRunner } from '../../../pkg/sandbox/script-sandbox.ts';
import { ComponentStatusEngine } from '../status/component-status.ts';
import type { StatusOutcome } from '../status/kappnav-status.ts';
import type { KappnavSource } from '../cluster/kappnav-source.ts';

function remembered<V>(memo: WeakMap<KubeObject, V>, resource: KubeObject, compute: () => V): V {
  let value = memo.get(resource);
  if (value === undefined) {
    value = compute();
    memo.set(resource, value);
  }
  return value;
}

export interface InsightSettings {
  sandbox: ScriptRunner;
  /** Time budget of one status map `algorithm` run. */
  algorithmTimeoutMs: number;
}

export class ResourceInsights {
  /** kappnav-config as it was when these insights began. */
  readonly config: KappnavConfig;
  private readonly statuses = new WeakMap<KubeObject, Promise<StatusOutcome>>();
  private readonly actions = new WeakMap<KubeObject, ResourceActionMap>();
  private readonly sections = new WeakMap<KubeObject, SectionMap>();
  private readonly engine: ComponentStatusEngine;

  constructor(
    private readonly cluster: KappnavSource,
    settings: InsightSettings,
  ) {
    this.config = cluster.kappnavConfig();
    this.engine = new ComponentStatusEngine(statusMapLocator(cluster), {
      sandbox: settings.sandbox,
      config: this.config,
      timeoutMs: settings.algorithmTimeoutMs,
    });
  }

  /** The status of a resource that is not an application, from its status map. */
  statusOf(resource: KubeObject): Promise<StatusOutcome> {
    return remembered(this.statuses, resource, () => this.engine.statusOf(resource));
  }

  actionsOf(resource: KubeObject): ResourceActionMap {
    return remembered(this.actions, resource, () =>
      actionMapFor(mappingSubjectOf(resource), this.cluster.kindActionMappings(), this.cluster),
    );
  }

  sectionsOf(resource: KubeObject): SectionMap {
    return remembered(this.sections, resource, () =>
      sectionMapFor(mappingSubjectOf(resource), resource, this.cluster.kindActionMappings(), this.cluster),
    );
  }
}
