/**
 * A cluster view with one object as a caller knows it to be, over a view that may not know yet: the
 * object of an admission request (not stored yet), or the object a lifecycle event names, just read from
 * the API server or just deleted, before the informers deliver the change.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from './application.ts';
import type { ClusterView, LabelCondition } from './cluster-view.ts';
import { identityOf, objectIdentity, type ObjectReference } from './object-identity.ts';

export class OverlayClusterView implements ClusterView {
  private readonly identity: string;

  /**
   * @param reference the object overlaid
   * @param object its current version (of the reference's group and kind), or undefined when it no
   *   longer exists
   */
  constructor(
    private readonly base: ClusterView,
    private readonly reference: ObjectReference,
    private readonly object: KubeObject | undefined,
  ) {
    this.identity = identityOf(reference);
  }

  list(type: ResourceType, namespace?: string, label?: LabelCondition): readonly KubeObject[] {
    // The overlaid object is added whatever its labels: the condition only narrows, the caller decides.
    return this.overlay(
      this.base.list(type, namespace, label),
      type,
      type.namespaced ? namespace : undefined,
    );
  }

  applications(namespace?: string): readonly KubeObject[] {
    return this.overlay(this.base.applications(namespace), APPLICATION_TYPE, namespace);
  }

  getApplication(namespace: string, name: string): KubeObject | undefined {
    const { group, kind } = APPLICATION_TYPE;
    const reference = { group, kind, namespace, name };
    return identityOf(reference) === this.identity ? this.object : this.base.getApplication(namespace, name);
  }

  private overlay(
    listed: readonly KubeObject[],
    type: Pick<ResourceType, 'group' | 'kind'>,
    namespace: string | undefined,
  ): readonly KubeObject[] {
    const { group, kind, namespace: own = '' } = this.reference;
    if (type.group !== group || type.kind !== kind) return listed;
    const others = listed.filter((o) => objectIdentity(o) !== this.identity);
    const object = this.object;
    return object && (namespace === undefined || namespace === own) ? [...others, object] : others;
  }
}
