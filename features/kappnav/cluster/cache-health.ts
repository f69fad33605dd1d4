/**
 * Whether an informer cache is current: listed, and heard from recently (the API server sends a bookmark
 * about every minute on a healthy watch, and the cache's watchdog restarts a silent one after 90 s). A
 * stale cache does not stop answers; they are flagged instead, because an answer that may be a little
 * old is more useful than no answer, and a hanging request is worse than both.
 */
import type { ResourceCache } from '../../../pkg/kube/resource-cache.ts';

export function staleness(cache: ResourceCache, silentAfterMs: number, now = Date.now()): string | undefined {
  const { resource, group } = cache.type;
  const name = group ? `${resource}.${group}` : resource;
  if (!cache.hasSynced) return `${name} are not listed yet; the answer may be incomplete`;
  const silentMs = now - cache.lastActivity;
  if (silentMs > silentAfterMs)
    return `${name} have not been refreshed for ${Math.round(silentMs / 1000)}s; the answer may be out of date`;
  return undefined;
}
