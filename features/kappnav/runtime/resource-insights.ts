/**
 * What kAppNav computes for one resource: its status (from its status mapping), its merged action map and
 * its section map. Each is computed once per object version: informer caches replace an object when it
 * changes, so the object itself is the cache key, and a change of the maps or the KindActionMappings
 * starts a new instance.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { actionMapFor, type ResourceActionMap } from '../actions/action-map.ts';
import type { KappnavConfig } from '../model/config.ts';
import { mappingSubjectOf } from '../kam/mapping-subject.ts';
import { sectionMapFor, type SectionMap } from '../kam/section-map.ts';
import { KindActionMappingStatusMapLocator } from '../kam/status-map-locator.ts';
import { ComponentStatusEngine, type ScriptRunner } from '../status/component-status.ts';
import type { StatusOutcome } from '../status/kappnav-status.ts';
import { DesignNameStatusMapLocator, type StatusMapLocator } from '../status/status-map-locator.ts';
import type { KappnavSource } from '../cluster/kappnav-source.ts';

/** The KindActionMapping's status map; without any KindActionMapping, the design's map names. */
function statusMapLocator(cluster: KappnavSource): StatusMapLocator {
  const kams = () => cluster.kindActionMappings();
  const mapped = new KindActionMappingStatusMapLocator(kams, cluster);
  const byName = new DesignNameStatusMapLocator(cluster, cluster.kappnavNamespace);
  return { locate: (resource) => mapped.locate(resource) ?? byName.locate(resource) };
}

function remembered<V>(memo: WeakMap<KubeObject, V>, resource: KubeObject, compute: () => V): V {
  let value = memo.get(resource);
  if (value === undefined) {
    value = compute();
    memo.set(resource, value);
  }
  return value;
}

export class ResourceInsights {
  private readonly statuses = new WeakMap<KubeObject, Promise<StatusOutcome>>();
  private readonly actions = new WeakMap<KubeObject, ResourceActionMap>();
  private readonly sections = new WeakMap<KubeObject, SectionMap>();
  private readonly engine: ComponentStatusEngine;

  constructor(
    private readonly cluster: KappnavSource,
    sandbox: ScriptRunner,
    config: Pick<KappnavConfig, 'statusUnknown'>,
  ) {
    this.engine = new ComponentStatusEngine(statusMapLocator(cluster), { sandbox, config });
  }

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
