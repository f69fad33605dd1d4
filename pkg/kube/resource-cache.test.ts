import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeClient } from './kube-client.ts';
import { ResourceCache } from './resource-cache.ts';
import { CORE_TYPES } from './resource-type.ts';

/** An API server that answers every list as RBAC does for a kind prismgate may not read. */
function forbiddingClient(): { client: KubeClient; lists: () => number } {
  let lists = 0;
  const client = {
    request: () => {
      lists += 1;
      return Promise.reject(
        new KubeApiError(
          403,
          { apiVersion: 'v1', kind: 'Status', status: 'Failure', code: 403, reason: 'Forbidden' },
          'roles is forbidden',
        ),
      );
    },
    stream: () => Promise.reject(new Error('no watch without a list')),
  } as unknown as KubeClient;
  return { client, lists: () => lists };
}

describe('ResourceCache and RBAC', () => {
  it('counts a kind it may not list as synced and empty, so one such kind cannot hold readiness', async () => {
    const { client, lists } = forbiddingClient();
    const cache = new ResourceCache({
      client,
      type: {
        group: 'rbac.authorization.k8s.io',
        version: 'v1',
        resource: 'roles',
        kind: 'Role',
        namespaced: true,
      },
      log: pino({ level: 'silent' }),
    }).start();
    await cache.synced;
    expect(cache.hasSynced).toBe(true);
    expect(cache.forbidden).toBe(true);
    expect(cache.list()).toEqual([]);
    expect(lists()).toBe(1);
    await cache.stop();
  });

  it('still waits for kinds it may list', async () => {
    const offline = {
      request: () => Promise.reject(new Error('connection refused')),
      stream: () => Promise.reject(new Error('connection refused')),
    } as unknown as KubeClient;
    const cache = new ResourceCache({
      client: offline,
      type: CORE_TYPES.pods,
      log: pino({ level: 'silent' }),
    }).start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cache.hasSynced).toBe(false);
    expect(cache.forbidden).toBe(false);
    await cache.stop();
  });
});
