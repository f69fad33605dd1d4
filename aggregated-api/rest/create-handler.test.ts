import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, startFixture, type Fixture } from '../../test/support/aggregated-api/pipeline-fixture.ts';

describe('create of a create-only resource', () => {
  let f: Fixture;
  beforeEach(async () => (f = await startFixture()));
  afterEach(() => f.app.close());

  const post = (payload: unknown, query = '', contentType = 'application/json') =>
    f.app.inject({
      method: 'POST',
      url: `/apis/wardle.example.com/v1alpha1/echoes${query}`,
      headers: { ...ADMIN, 'content-type': contentType },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('creates, answering 201 with the object', async () => {
    const res = await post({ apiVersion: 'wardle.example.com/v1alpha1', kind: 'Echo', spec: { text: 'hi' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      apiVersion: 'wardle.example.com/v1alpha1',
      kind: 'Echo',
      spec: { text: 'hi' },
      status: { echoed: true },
    });
    expect(f.created[0]).toMatchObject({ dryRun: false, user: { name: 'admin' } });
  });

  it('refuses unknown fields with fieldValidation=Strict, warns by default, ignores on Ignore', async () => {
    const body = { kind: 'Echo', spec: { text: 'hi', colour: 'red' }, extra: 1 };
    const strict = await post(body, '?fieldValidation=Strict');
    expect(strict.statusCode).toBe(400);
    expect(strict.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.colour", unknown field "extra"',
    });
    const warned = await post(body);
    expect(warned.statusCode).toBe(201);
    expect(warned.headers.warning).toEqual([
      '299 - "unknown field \\"spec.colour\\""',
      '299 - "unknown field \\"extra\\""',
    ]);
    expect((await post(body, '?fieldValidation=Ignore')).headers.warning).toBeUndefined();
  });

  it('passes dryRun=All on and refuses other dry-run values', async () => {
    await post({ kind: 'Echo' }, '?dryRun=All');
    expect(f.created[0]!.dryRun).toBe(true);
    expect((await post({ kind: 'Echo' }, '?dryRun=Some')).statusCode).toBe(400);
  });

  it('answers a body of another kind, another version or no object with 400', async () => {
    expect((await post({ kind: 'Widget' })).json().message).toBe(
      'the kind in the data (Widget) does not match the expected kind (Echo)',
    );
    expect((await post({ apiVersion: 'v1', kind: 'Echo' })).json().message).toContain(
      'does not match the expected API version',
    );
    expect((await post('[1]')).statusCode).toBe(400);
    expect((await post('{not json')).json()).toMatchObject({ kind: 'Status', code: 400 });
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await post('spec: {}', '', 'application/yaml');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType' });
  });

  it('answers 405 for get, list, update and delete', async () => {
    for (const [method, url] of [
      ['GET', '/apis/wardle.example.com/v1alpha1/echoes'],
      ['GET', '/apis/wardle.example.com/v1alpha1/echoes/x'],
      ['PUT', '/apis/wardle.example.com/v1alpha1/echoes/x'],
      ['DELETE', '/apis/wardle.example.com/v1alpha1/echoes/x'],
    ] as const) {
      const res = await f.app.inject({ method, url, headers: ADMIN });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
    }
  });
});
