import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  DEVELOPER,
  startFixture,
  widget,
  type Fixture,
} from '../../test/support/aggregated-api/pipeline-fixture.ts';

const ROOT = '/apis/wardle.example.com/v1alpha1';
interface Frame {
  type: string;
  object: {
    kind: string;
    metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    columnDefinitions?: unknown;
    rows?: { cells: unknown[] }[];
    code?: number;
    reason?: string;
  };
}
const frames = (body: string): Frame[] =>
  body
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Frame);
const summary = (list: Frame[]) =>
  list.map((f) => `${f.type} ${f.object.metadata?.name ?? f.object.reason ?? ''}`.trim());

describe('watch', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startFixture({ watch: { bookmarkIntervalMs: 150 } });
    f.store.replaceAll([widget('shop', 'a', 'red'), widget('shop', 'b', 'blue')]);
  });
  afterEach(() => f.app.close());

  /** Runs `changes` while a one-second watch is open and returns its frames. */
  async function watch(
    query: string,
    changes: () => void = () => {},
    headers: Record<string, string> = ADMIN,
  ) {
    const response = f.app.inject({
      url: `${ROOT}/namespaces/shop/widgets?watch=true&timeoutSeconds=1&${query}`,
      headers,
    });
    setTimeout(changes, 200);
    const res = await response;
    expect(res.statusCode).toBe(200);
    return { res, frames: frames(res.body) };
  }

  it('sends the current objects as ADDED, then the changes, and ends at timeoutSeconds', async () => {
    const started = Date.now();
    const { res, frames: seen } = await watch('', () =>
      f.store.replaceAll([widget('shop', 'a', 'green'), widget('shop', 'c', 'red')]),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.headers['content-type']).toBe('application/json');
    expect(summary(seen)).toEqual(['ADDED a', 'ADDED b', 'DELETED b', 'MODIFIED a', 'ADDED c']);
  });

  it('resumes from a resourceVersion and answers an expired one with a 410 ERROR event', async () => {
    const from = f.clock.current;
    f.store.replaceAll([widget('shop', 'a', 'green'), widget('shop', 'b', 'blue')]);
    const { frames: resumed } = await watch(`resourceVersion=${from}`);
    expect(summary(resumed)).toEqual(['MODIFIED a']);
    for (let i = 0; i < 6; i++) f.store.replaceAll([widget('shop', 'a', `c${i}`)]);
    const { frames: gone } = await watch(`resourceVersion=${from}`);
    expect(gone).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringContaining(`too old resource version: ${from}`),
        }),
      },
    ]);
  });

  it('answers a watch-list of a resourceVersion not reached within 3 s with an ERROR event 504', async () => {
    const { frames } = await watch(
      `resourceVersion=${f.clock.current + 5}&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
    );
    expect(frames).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          code: 504,
          reason: 'Timeout',
          message: expect.stringContaining('Timeout: Too large resource version'),
        }),
      },
    ]);
  });

  it('answers a malformed resourceVersion as kube-apiserver does, with its storage error (500)', async () => {
    const res = await f.app.inject({
      url: `${ROOT}/namespaces/shop/widgets?watch=true&resourceVersion=x`,
      headers: ADMIN,
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'resourceVersion: Invalid value: "x": strconv.ParseUint: parsing "x": invalid syntax',
      code: 500,
    });
  });

  it('sends BOOKMARKs when allowed, and marks the end of initial events for watch-list', async () => {
    const { frames: seen } = await watch(
      'allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
    );
    expect(summary(seen).slice(0, 3)).toEqual(['ADDED a', 'ADDED b', 'BOOKMARK']);
    expect(seen[2]!.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(seen.filter((e) => e.type === 'BOOKMARK').length).toBeGreaterThanOrEqual(4);
    expect(seen.at(-1)!.object).toMatchObject({
      kind: 'Widget',
      metadata: { resourceVersion: String(f.clock.current) },
    });
  });

  it('sends objects entering and leaving the selectors as ADDED and DELETED', async () => {
    const { frames: seen } = await watch('fieldSelector=spec.colour%3Dred', () => {
      f.store.replaceAll([widget('shop', 'a', 'blue'), widget('shop', 'b', 'red')]);
    });
    expect(summary(seen)).toEqual(['ADDED a', 'DELETED a', 'ADDED b']);
  });

  it('streams Tables with column definitions only in the first event', async () => {
    const { res, frames: seen } = await watch(
      '',
      () => f.store.replaceAll([widget('shop', 'a', 'pink'), widget('shop', 'b', 'blue')]),
      {
        ...ADMIN,
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      },
    );
    expect(res.headers['content-type']).toBe('application/json');
    expect(seen.map((e) => e.object.kind)).toEqual(['Table', 'Table', 'Table']);
    expect(seen.map((e) => Array.isArray(e.object.columnDefinitions))).toEqual([true, false, false]);
    expect(seen[2]!.object.rows![0]!.cells.slice(0, 2)).toEqual(['a', 'pink']);
  });

  it('sends a user only the events of what they may read', async () => {
    f.allow = (_user, attributes) => !('resource' in attributes) || attributes.resource.resource !== 'things';
    const { frames: seen } = await watch(
      '',
      () => f.store.replaceAll([widget('shop', 'x', 'red')]),
      DEVELOPER,
    );
    expect(seen).toEqual([]);
  });

  it('ends open watches when the server closes', async () => {
    const response = f.app.inject({ url: `${ROOT}/widgets?watch=true`, headers: ADMIN });
    setTimeout(() => void f.app.close(), 100);
    const res = await response;
    expect(summary(frames(res.body))).toEqual(['ADDED a', 'ADDED b']);
  });
});
