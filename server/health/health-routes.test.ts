import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../test/support/aggregated-api/pipeline-fixture.ts';

describe('health endpoints', () => {
  let f: Fixture;
  beforeAll(async () => (f = await startFixture()));
  afterAll(() => f.app.close());
  const get = (url: string) => f.app.inject({ url });

  it('answer anyone, without credentials or reviews; single checks are authorized like any path', async () => {
    for (const path of ['/livez', '/readyz', '/healthz']) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toBe('ok');
    }
    expect(f.reviews).toEqual([]);
    expect((await get('/readyz/ping')).body).toBe('ok');
    expect(f.reviews).toEqual([{ nonResource: { verb: 'get', path: '/readyz/ping' } }]);
    const unknown = await get('/readyz/nothing');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(unknown.body).toBe('404 page not found\n');
  });

  it('list checks with ?verbose, and report failures without the reason', async () => {
    expect((await get('/readyz?verbose')).body).toBe(
      '[+]ping ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    f.notReady = 'applications not listed';
    const failing = await get('/readyz');
    expect(failing.statusCode).toBe(500);
    expect(failing.body).toBe(
      '[+]ping ok\n[-]informer-sync failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n',
    );
    expect((await get('/readyz/informer-sync')).body).toBe(
      'internal server error: applications not listed\n',
    );
    expect((await get('/readyz?exclude=informer-sync')).statusCode).toBe(200);
    expect((await get('/livez')).statusCode).toBe(200);
    f.notReady = undefined;
  });
});
