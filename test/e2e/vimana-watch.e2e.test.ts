/**
 * The admission caches survive a watch that dies silently (the JS client's known failure): prismgate
 * talks to the API server through a proxy that stalls its open connections without closing them, and a
 * cross-resource rule still sees an object created during the stall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prismgate } from '../../src/prismgate.ts';
import { VIMANA_RESOURCES } from '../../features/vimana/resource-types.ts';
import { acme } from '../support/vimana/fixtures.ts';
import { eventually, kubectl } from './support/cluster.ts';
import { proxiedApiServer, type StallableTcpProxy } from './support/tcp-proxy.ts';
import { apply, startVimanaGate, TestNamespaces } from './vimana-gate.ts';

const vimana = (name: string, namespace: string) => ({ ...acme('Vimana'), metadata: { name, namespace } });

describe('a silently dead watch', () => {
  let proxy: StallableTcpProxy;
  let gate: Prismgate;
  const namespaces = new TestNamespaces();

  beforeAll(async () => {
    const proxied = await proxiedApiServer();
    proxy = proxied.proxy;
    const kc = proxied.kubeConfig;
    gate = await startVimanaGate({
      kubeConfig: kc,
      // A stalled pooled connection is found out only by a timeout, so both are short here.
      cacheTuning: { watchIdleTimeoutMs: 2_000, listTimeoutMs: 3_000 },
    });
  });
  afterAll(async () => {
    await gate?.stop();
    // Were deregistration lost on a stalled connection, later files would meet dead webhooks.
    await kubectl([
      'delete',
      'validatingwebhookconfiguration,mutatingwebhookconfiguration',
      'prismgate',
      '--ignore-not-found',
    ]);
    await proxy?.close();
    await namespaces.deleteAll();
  });

  it('is restarted by the watchdog, and R1 sees a Vimana created during the stall', async () => {
    const ns = await namespaces.create('vimana-stall');
    const vimanas = gate.services.caches.peek(VIMANA_RESOURCES.Vimana)!;
    const restarts = vimanas.watchdogRestarts;
    // prismgate's watches now carry nothing, but stay open: no error, no end of stream.
    proxy.stallOpenConnections();
    const created = await apply(ns, vimana('edge', ns));
    expect(created.code, created.stderr).toBe(0);
    await eventually(
      'R1 to deny a second Vimana, proving the cache saw the first',
      async () => {
        const second = await apply(ns, vimana('other', ns), '--dry-run=server');
        return second.denials.some((message) => message.endsWith('(rule R1)'));
      },
      45_000,
      500,
    );
    expect(vimanas.watchdogRestarts).toBeGreaterThan(restarts);
  });
});
