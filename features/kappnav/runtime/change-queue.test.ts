import { describe, expect, it } from 'vitest';
import { deployment } from '../../../test/support/kappnav/status-fixtures.ts';
import { ChangeQueue } from './change-queue.ts';

const v1 = deployment('d', 'Normal', { labels: { v: '1' } });
const v2 = deployment('d', 'Warning', { labels: { v: '2' } });
const v3 = deployment('d', 'Problem', { labels: { v: '3' } });

describe('ChangeQueue', () => {
  it('coalesces the changes of one object: from the first old version to the newest', () => {
    const queue = new ChangeQueue(10);
    queue.add({ old: v1, new: v2 });
    queue.add({ old: v2, new: v3 });
    queue.add({ new: deployment('other', 'Normal') });
    const work = queue.take();
    expect(work.changes).toEqual([{ old: v1, new: v3 }, { new: deployment('other', 'Normal') }]);
    expect(work.events).toBe(3);
    expect(queue.empty).toBe(true);
    expect(queue.take()).toEqual({ changes: [], events: 0, everything: false, rediscover: false });
  });

  it('keeps a version a batch may have counted when the object is deleted', () => {
    const created = new ChangeQueue(10);
    created.add({ new: v1 });
    created.add({ old: v1 });
    expect(created.take().changes).toEqual([{ old: v1 }]);
    const updated = new ChangeQueue(10);
    updated.add({ old: v1, new: v2 });
    updated.add({ old: v2 });
    expect(updated.take().changes).toEqual([{ old: v1 }]);
  });

  it('asks for everything instead of growing past its capacity', () => {
    const queue = new ChangeQueue(2);
    for (const name of ['a', 'b', 'c', 'd']) queue.add({ new: deployment(name, 'Normal') });
    expect(queue.take()).toEqual({ changes: [], events: 4, everything: true, rediscover: false });
  });

  it('carries the requests that are not about one object', () => {
    const queue = new ChangeQueue(10);
    queue.refreshKinds();
    expect(queue.empty).toBe(false);
    queue.recomputeEverything();
    expect(queue.take()).toMatchObject({ everything: true, rediscover: true });
  });
});
