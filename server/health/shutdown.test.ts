import fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installErrorResponses } from '../error-responses.ts';
import { Shutdown } from './shutdown.ts';

describe('Shutdown', () => {
  it('fails readiness, ends watches and answers later requests 503 as a Status, health endpoints excepted', async () => {
    const shutdown = new Shutdown();
    const app = fastify();
    installErrorResponses(app);
    app.addHook('onRequest', shutdown.hook());
    app.get('/apis/x/v1/things', () => ({ ok: true }));
    app.get('/livez', () => 'ok');
    let ended = false;
    shutdown.longRunning.add({ end: () => (ended = true) });

    expect((await app.inject('/apis/x/v1/things')).statusCode).toBe(200);
    expect(shutdown.readiness.check()).toBeUndefined();
    shutdown.begin();
    const refused = await app.inject('/apis/x/v1/things');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
      details: { retryAfterSeconds: 1 },
    });
    expect((await app.inject('/livez')).statusCode).toBe(200);
    expect(shutdown.readiness.check()).toBe('the server is shutting down');
    expect(ended).toBe(true);
    await app.close();
  });
});
