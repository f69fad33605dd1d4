/** An informer event as the application model takes it: the version before and the version after. */
import type { CacheEvent } from '../../../pkg/kube/resource-cache.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ObjectChange } from '../model/application-graph.ts';

export function changeOf(event: CacheEvent<KubeObject>): ObjectChange {
  switch (event.type) {
    case 'ADDED':
      return { new: event.object };
    case 'MODIFIED':
      return event.old ? { old: event.old, new: event.object } : { new: event.object };
    case 'DELETED':
      return { old: event.old ?? event.object };
  }
}
