import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { RevisionClock } from './revision-clock.ts';
import { VersionedStore, type StoreEvent } from './versioned-store.ts';

const obj = (namespace: string, name: string, value: string): KubeObject => ({
  kind: 'Thing',
  metadata: { namespace, name },
  spec: { value },
});

describe('VersionedStore', () => {
  it('turns a new complete set into events, by content, with fresh resourceVersions', () => {
    const clock = new RevisionClock(100);
    const store = new VersionedStore<KubeObject>(clock);
    const first = store.replaceAll([obj('a', 'x', '1'), obj('a', 'y', '1')]);
    expect(first.map((e) => [e.type, e.object.metadata?.name, e.object.metadata?.resourceVersion])).toEqual([
      ['ADDED', 'x', '101'],
      ['ADDED', 'y', '102'],
    ]);
    expect(store.replaceAll([obj('a', 'x', '1'), obj('a', 'y', '1')])).toEqual([]);
    const next = store.replaceAll([obj('a', 'x', '2'), obj('b', 'z', '1')]);
    expect(next.map((e) => [e.type, e.object.metadata?.name, e.revision])).toEqual([
      ['DELETED', 'y', 103],
      ['MODIFIED', 'x', 104],
      ['ADDED', 'z', 105],
    ]);
    expect(next[1]!.old?.metadata?.resourceVersion).toBe('101');
    expect(store.get('a', 'x')?.metadata?.resourceVersion).toBe('104');
  });

  it('lists in namespace/name order at the current revision, shared across stores', () => {
    const clock = new RevisionClock(0);
    const store = new VersionedStore<KubeObject>(clock);
    store.replaceAll([obj('b', 'a', '1'), obj('a', 'z', '1'), obj('a', 'b', '1')]);
    new VersionedStore<KubeObject>(clock).replaceAll([obj('x', 'x', '1')]);
    const snapshot = store.snapshot();
    expect(snapshot.items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([
      'a/b',
      'a/z',
      'b/a',
    ]);
    expect(snapshot.revision).toBe(4);
  });

  it('resumes watches from the log, waits for revisions not reached, and refuses those it no longer has', () => {
    const clock = new RevisionClock(0);
    const store = new VersionedStore<KubeObject>(clock, { logCapacity: 2 });
    store.replaceAll([obj('a', 'x', '1')]);
    store.replaceAll([obj('a', 'x', '2')]);
    store.replaceAll([obj('a', 'x', '3')]);
    const seen: StoreEvent<KubeObject>[] = [];
    const start = store.watchFrom(2, (e) => seen.push(e));
    expect(start).toMatchObject({ ok: true, backlog: [{ revision: 3 }] });
    store.replaceAll([obj('a', 'x', '4')]);
    expect(seen.map((e) => e.revision)).toEqual([4]);
    expect(store.watchFrom(0, () => {})).toEqual({ ok: false, reason: 'expired', horizon: 2 });
    const later: StoreEvent<KubeObject>[] = [];
    const future = store.watchFrom(5, (e) => later.push(e));
    expect(future).toMatchObject({ ok: true, backlog: [] });
    store.replaceAll([obj('a', 'x', '5')]);
    store.replaceAll([obj('a', 'x', '6')]);
    expect(later.map((e) => e.revision)).toEqual([6]);
    if (future.ok) future.unsubscribe();
    if (start.ok) start.unsubscribe();
    const received = seen.length;
    store.replaceAll([]);
    expect(seen).toHaveLength(received);
  });

  it('keeps retained snapshots for continue, the oldest dropped first', () => {
    const clock = new RevisionClock(0);
    const store = new VersionedStore<KubeObject>(clock, { snapshotCapacity: 1 });
    store.replaceAll([obj('a', 'x', '1')]);
    const first = store.snapshot();
    store.retain(first);
    store.replaceAll([obj('a', 'x', '2')]);
    expect(store.stateAt(first.revision)).toBe(first);
  });

  it('rebuilds the state at any revision the log reaches back to, and no further', () => {
    const clock = new RevisionClock(0);
    const store = new VersionedStore<KubeObject>(clock, { logCapacity: 3 });
    store.replaceAll([obj('a', 'x', '1'), obj('a', 'y', '1')]);
    const both = store.snapshot();
    store.replaceAll([obj('a', 'x', '2')]);
    store.replaceAll([obj('a', 'x', '2'), obj('a', 'z', '1')]);
    expect(store.stateAt(both.revision)?.items.map((item) => item.metadata?.name)).toEqual(['x', 'y']);
    expect(store.stateAt(both.revision)?.items[0]).toEqual(both.items[0]);
    expect(store.stateAt(clock.current)?.items.map((item) => item.metadata?.name)).toEqual(['x', 'z']);
    // Five changes were made and three are kept: the state before them is gone, as is a future one.
    expect(store.stateAt(0)).toBeUndefined();
    expect(store.stateAt(clock.current + 1)).toBeUndefined();
  });
});
