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
      metadata: {},
      spec: { text: 'hi' },
      status: { echoed: true },
    });
    expect(f.created[0]).toMatchObject({ dryRun: false, user: { name: 'admin' } });
    expect(f.created[0]!.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('creates from YAML, and names from generateName with five characters of Go’s alphabet', async () => {
    const res = await post('kind: Echo # YAML\nmetadata: {generateName: gen-}\n', '', 'application/yaml');
    expect(res.statusCode).toBe(201);
    expect(res.json().metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  // Messages as kube-apiserver words them (checked against it by test/e2e/conformance-writes).
  it('refuses unknown and duplicate fields with fieldValidation=Strict, warns by default, ignores on Ignore', async () => {
    const body =
      '{"kind":"Echo","spec":{"text":"hi","colour":"red"},"extra":1,"spec":{"text":"hi","colour":"red"}}';
    const strict = await post(body, '?fieldValidation=Strict');
    expect(strict.statusCode).toBe(400);
    expect(strict.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message:
        'Echo in version "v1alpha1" cannot be handled as a Echo: strict decoding error: unknown field "spec.colour", unknown field "extra", duplicate field "spec"',
    });
    const warned = await post(body);
    expect(warned.statusCode).toBe(201);
    expect(warned.headers.warning).toEqual([
      '299 - "unknown field \\"spec.colour\\""',
      '299 - "unknown field \\"extra\\""',
      '299 - "duplicate field \\"spec\\""',
    ]);
    expect((await post(body, '?fieldValidation=Ignore')).headers.warning).toBeUndefined();
  });

  it('passes dryRun=All on and refuses other create options with 422', async () => {
    await post({ kind: 'Echo' }, '?dryRun=All');
    expect(f.created[0]!.dryRun).toBe(true);
    const refused = await post({ kind: 'Echo' }, '?dryRun=Some&fieldValidation=Loud');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: [dryRun: Unsupported value: ["Some"]: supported values: "All", fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"]',
    );
  });

  it('answers a body of another kind or version, or not an object, or not JSON, with 400', async () => {
    expect((await post({ kind: 'Widget' })).json().message).toBe(
      'Widget in version "v1alpha1" cannot be handled as a Echo: no kind "Widget" is registered for version "wardle.example.com/v1alpha1" in scheme "pkg/runtime/scheme.go:111"',
    );
    expect((await post({ apiVersion: 'v1', kind: 'Echo' })).json().message).toBe(
      'Echo in version "v1" cannot be handled as a Echo: no kind "Echo" is registered for version "v1" in scheme "pkg/runtime/scheme.go:111"',
    );
    expect((await post('[1]')).json().message).toBe(
      'the object provided is unrecognized (must be of type Echo): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b315d)',
    );
    expect((await post('{not json')).json().message).toBe(
      "the object provided is unrecognized (must be of type Echo): couldn't get version/kind; json parse error: invalid character 'n' looking for beginning of object key string ({not json)",
    );
  });

  it('answers a body of a type it does not read with 415', async () => {
    const res = await post('spec: {}', '', 'text/plain');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      kind: 'Status',
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    });
  });

  it('answers 405 on the collection for list, and 404 for the objects it has no route for', async () => {
    for (const [method, url, code] of [
      ['GET', '/apis/wardle.example.com/v1alpha1/echoes', 405],
      ['DELETE', '/apis/wardle.example.com/v1alpha1/echoes', 405],
      ['GET', '/apis/wardle.example.com/v1alpha1/echoes/x', 404],
      ['PUT', '/apis/wardle.example.com/v1alpha1/echoes/x', 404],
      ['DELETE', '/apis/wardle.example.com/v1alpha1/echoes/x', 404],
    ] as const) {
      const res = await f.app.inject({ method, url, headers: ADMIN });
      expect(res.statusCode, `${method} ${url}`).toBe(code);
      expect(res.json()).toMatchObject({ kind: 'Status', code, details: {} });
    }
  });
});
