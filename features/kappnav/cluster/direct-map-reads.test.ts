import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../kam/config-map-source.ts';
import { DirectMapReads } from './direct-map-reads.ts';

const map = (name: string, resourceVersion: string): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace: 'shop', name, resourceVersion },
  data: { 'url-actions': '[]' },
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

function reads(stored: Map<string, ConfigMap>, options: { ttlMs?: number; capacity?: number } = {}) {
  let clock = 0;
  const asked: string[] = [];
  const reported: string[] = [];
  const direct = new DirectMapReads(
    (namespace, name) => {
      asked.push(`${namespace}/${name}`);
      return Promise.resolve(stored.get(name));
    },
    (m) => reported.push(`${m.metadata?.name}@${m.metadata?.resourceVersion}`),
    { ...options, now: () => clock },
  );
  return { direct, asked, reported, advance: (ms: number) => (clock += ms) };
}

describe('DirectMapReads (unlabelled instance-level maps, read once per TTL)', () => {
  it('answers nothing at first, reads once in the background, then answers from the cache and reports the find', async () => {
    const { direct, asked, reported } = reads(
      new Map([['kappnav.actions.deployment.trader', map('x', '1')]]),
    );
    expect(direct.get('shop', 'kappnav.actions.deployment.trader')).toBeUndefined();
    expect(direct.get('shop', 'kappnav.actions.deployment.trader')).toBeUndefined();
    await settle();
    expect(direct.get('shop', 'kappnav.actions.deployment.trader')).toMatchObject({
      data: { 'url-actions': '[]' },
    });
    expect(asked).toEqual(['shop/kappnav.actions.deployment.trader']);
    expect(reported).toEqual(['x@1']);
  });

  it('keeps a map that is not there for the TTL too, and reads again after it', async () => {
    const stored = new Map<string, ConfigMap>();
    const { direct, asked, reported, advance } = reads(stored, { ttlMs: 1000 });
    direct.get('shop', 'missing');
    await settle();
    direct.get('shop', 'missing');
    expect(asked).toHaveLength(1);
    stored.set('missing', map('missing', '7'));
    advance(1000);
    direct.get('shop', 'missing');
    await settle();
    expect(asked).toHaveLength(2);
    expect(reported).toEqual(['missing@7']);
    expect(direct.get('shop', 'missing')).toBeDefined();
  });

  it('holds at most `capacity` names, the oldest read going first', async () => {
    const { direct, asked } = reads(new Map(), { capacity: 2 });
    for (const name of ['a', 'b', 'c']) direct.get('shop', name);
    await settle();
    direct.get('shop', 'c');
    direct.get('shop', 'a');
    expect(asked).toEqual(['shop/a', 'shop/b', 'shop/c', 'shop/a']);
  });
});
