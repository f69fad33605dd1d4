import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../test/support/aggregated-api/pipeline-fixture.ts';

describe('health endpoints', () => {
  let f: Fixture;
  beforeAll(async () => (f = await startFixture()));
  afterAll(() => f.app.close());
  const get = (url: string) => f.app.inject({ url });

  it('answer anyone, without credentials or reviews', async () => {
    for (const path of ['/livez', '/readyz', '/healthz', '/readyz/ping', '/livez/ping']) {
      const res = await get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toBe('ok');
    }
    expect(f.reviews).toEqual([]);
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
