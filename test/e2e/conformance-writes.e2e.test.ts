/**
 * Differential conformance of writes and unsupported verbs, raw HTTP through kube-apiserver:
 *   - create-only kinds (lifecycleevents ↔ selfsubjectreviews, commandexecutions ↔
 *     localsubjectaccessreviews): every verb besides create, request bodies (YAML, duplicate and unknown
 *     fields under each fieldValidation, malformed JSON, other media types, another kind or version),
 *     create options, generateName, creationTimestamp;
 *   - read-only kinds (prismapplications ↔ componentstatuses): update, patch of every patch type, delete;
 *   - deletion (commands ↔ clusterroles): DeleteOptions in the body and the query,
 *     preconditions, dry run, and the Status a delete answers;
 *   - validation errors (422): a LifecycleEvent and an Application each missing two required fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  collectionPath,
  expectSameAnswer,
  groupVersion,
  objectPath,
  withoutNumbers,
  type Answer,
  type AnswerOptions,
  type Side,
  type Subject,
} from './support/conformance.ts';
import { ABSENT, startConformanceWorld, type ConformanceWorld } from './support/conformance-world.ts';
import { send } from './support/raw-http.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

/** A minimal valid body of each create-only kind, as JSON text (bodies are built as text on purpose). */
function createBody(subject: Subject, metadata = '{"name":"event"}'): string {
  const head = `"apiVersion":"${groupVersion(subject)}","kind":"${subject.kind}","metadata":${metadata}`;
  switch (subject.kind) {
    case 'LifecycleEvent':
      return `{${head},"spec":{"type":"Updated","resource":{"apiVersion":"v1","kind":"Namespace","name":"default"}}}`;
    case 'SelfSubjectReview':
      return `{${head}}`;
    default:
      throw new Error(`no body for ${subject.kind}`);
  }
}

/**
 * What a created object is compared on: its kind, and the form (not the value) of its creationTimestamp.
 * Not its name: SelfSubjectReview drops the name it was sent, prism's kinds keep it (kubectl prints it).
 */
const created: AnswerOptions = {
  project: (body) => {
    const object = body as { kind?: string; metadata?: { creationTimestamp?: string } };
    return {
      kind: object.kind,
      creationTimestamp: object.metadata?.creationTimestamp?.replace(/\d/g, '0'),
    };
  },
};

describe('conformance of writes', () => {
  let world: ConformanceWorld;
  beforeAll(async () => {
    world = await startConformanceWorld();
  });
  afterAll(() => world?.stop());

  describe('create-only kinds (lifecycleevents ↔ selfsubjectreviews)', () => {
    let prism: Side;
    let reference: Side;
    beforeAll(() => ({ prism, reference } = world.createOnly));

    it.each([
      ['GET', 'item'],
      ['PUT', 'item'],
      ['PATCH', 'item'],
      ['DELETE', 'item'],
      ['GET', 'collection'],
      ['GET', 'collection?watch=1'],
      ['PUT', 'collection'],
      ['PATCH', 'collection'],
      ['DELETE', 'collection'],
    ])('%s of the %s answers as a Go server does', async (method, target) => {
      await expectSameAnswer(prism, reference, (s) => ({
        method,
        path: target.startsWith('item')
          ? objectPath(s, 'event')
          : `${collectionPath(s)}${target.slice('collection'.length)}`,
        ...(method === 'GET' ? {} : { headers: JSON_TYPE, body: '{}' }),
      }));
    });

    it('creates from a JSON body, with a creationTimestamp in seconds', async () => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({ method: 'POST', path: collectionPath(s), headers: JSON_TYPE, body: createBody(s) }),
        created,
      );
    });

    it('creates from a YAML body', async () => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({
          method: 'POST',
          path: collectionPath(s),
          headers: { 'content-type': 'application/yaml' },
          // JSON is YAML; a YAML flow mapping with a comment proves it is read as YAML.
          body: `# created from YAML\n${createBody(s)}`,
        }),
        created,
      );
    });

    it.each([['?fieldValidation=Strict'], ['?fieldValidation=Warn'], [''], ['?fieldValidation=Ignore']])(
      'duplicate fields with %j',
      async (query) => {
        await expectSameAnswer(
          prism,
          reference,
          (s) => ({
            method: 'POST',
            path: `${collectionPath(s)}${query}`,
            headers: JSON_TYPE,
            body: createBody(s, '{},"metadata":{"name":"event"}'),
          }),
          created,
        );
      },
    );

    it.each([['?fieldValidation=Strict'], ['?fieldValidation=Warn'], ['?fieldValidation=Ignore']])(
      'unknown fields with %j',
      async (query) => {
        await expectSameAnswer(
          prism,
          reference,
          (s) => ({
            method: 'POST',
            path: `${collectionPath(s)}${query}`,
            headers: JSON_TYPE,
            body: createBody(s).replace(/^\{/, '{"colour":"red","metadata2":{"a":1},'),
          }),
          created,
        );
      },
    );

    it.each([
      ['?fieldValidation=x'],
      ['?dryRun=x'],
      ['?dryRun=All&dryRun=x'],
      ['?fieldManager=' + 'm'.repeat(129)],
      ['?fieldManager=bad%0Aname'],
    ])('create options %s', async (query) => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({
          method: 'POST',
          path: `${collectionPath(s)}${query}`,
          headers: JSON_TYPE,
          body: createBody(s),
        }),
        created,
      );
    });

    it.each([
      ['{bad'],
      [''],
      ['[1]'],
      ['"text"'],
      ['{"a":1}x'],
      ['{"a":1,}'],
      ['{"a" 1}'],
      ['{"a":tru}'],
      ['{"a":"\u0001"}'],
      ['{"a":01}'],
      ['{"a":-}'],
      ['{"a":1.}'],
      ['{"a":1e}'],
      ['{"a":"\\x"}'],
      ['{"a":"\\u12"}'],
      ['{"a":[1 2]}'],
      ['{"apiVersion":1}'],
      ['{"kind":{}}'],
      ['{"kind":"Foo","apiVersion":"v1"}'],
      ['{"kind":"Foo"}'],
      ['{"apiVersion":"other.io/v1"}'],
      ['{"metadata":[]}'],
      [`{${'"x":1,'.repeat(10)}`],
    ])('a body %j', async (body) => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({
          method: 'POST',
          path: collectionPath(s),
          headers: JSON_TYPE,
          body: body.replace('"kind":"Foo"}', `"kind":"Foo","apiVersion":"${groupVersion(s)}"}`),
        }),
        created,
      );
    });

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/merge-patch+json'], ['']])(
      'a body of type %j',
      async (contentType) => {
        await expectSameAnswer(
          prism,
          reference,
          (s) => ({
            method: 'POST',
            path: collectionPath(s),
            headers: contentType ? { 'content-type': contentType } : ({} as Record<string, string>),
            body: createBody(s),
          }),
          created,
        );
      },
    );

    it('generates names as Go does (5 characters of its alphabet)', async () => {
      for (let i = 0; i < 5; i++)
        await expectSameAnswer(
          prism,
          world.applications.reference,
          (s) =>
            s === prism.subject
              ? {
                  method: 'POST',
                  path: collectionPath(s),
                  headers: JSON_TYPE,
                  body: createBody(s, '{"generateName":"gen-"}'),
                }
              : {
                  method: 'POST',
                  path: `${collectionPath(s)}?dryRun=All`,
                  headers: JSON_TYPE,
                  body: JSON.stringify({
                    apiVersion: groupVersion(s),
                    kind: s.kind,
                    metadata: { generateName: 'gen-' },
                    spec: {},
                  }),
                },
          {
            project: (body) => ({
              name: (body as { metadata?: { name?: string } }).metadata?.name
                ?.replace(/^gen-/, '')
                .replace(/[bcdfghjklmnpqrstvwxz2456789]/g, '*'),
            }),
          },
        );
    });
  });

  describe('create-only kinds, namespaced (commandexecutions ↔ localsubjectaccessreviews)', () => {
    it.each([
      ['GET', 'item'],
      ['DELETE', 'item'],
      ['GET', 'collection'],
      ['GET', 'all namespaces'],
    ])('%s of the %s', async (method, target) => {
      const { prism, reference } = world.createOnlyNamespaced;
      await expectSameAnswer(prism, reference, (s) => ({
        method,
        path:
          target === 'item'
            ? objectPath(s, 'run')
            : target === 'collection'
              ? collectionPath(s)
              : collectionPath(s, true),
      }));
    });
  });

  describe('read-only kinds (prismapplications ↔ componentstatuses)', () => {
    const name = (s: Subject) => s.names[0]!;
    it.each([
      ['PUT', 'application/json'],
      ['PATCH', 'application/merge-patch+json'],
      ['PATCH', 'application/json-patch+json'],
      ['PATCH', 'application/strategic-merge-patch+json'],
      ['PATCH', 'application/apply-patch+yaml'],
      ['PATCH', 'text/plain'],
      ['DELETE', 'application/json'],
    ])('%s (%s) of an object', async (method, contentType) => {
      const { prism, reference } = world.readOnly;
      await expectSameAnswer(prism, reference, (s) => ({
        method,
        path: objectPath(s, name(s)),
        headers: { 'content-type': contentType },
        body: contentType === 'application/json-patch+json' ? '[]' : '{}',
      }));
    });

    it.each([['POST'], ['DELETE'], ['PUT'], ['PATCH']])('%s of the collection', async (method) => {
      const { prism, reference } = world.readOnly;
      await expectSameAnswer(prism, reference, (s) => ({
        method,
        path: collectionPath(s),
        headers: JSON_TYPE,
        body: '{}',
      }));
    });
  });

  describe('deletion (commands ↔ clusterroles)', () => {
    let prism: Side;
    let reference: Side;
    beforeAll(() => ({ prism, reference } = world.deletable));
    const target = (s: Subject) => s.names[0]!;
    const remove =
      (body?: string, query = '') =>
      (s: Subject) => ({
        method: 'DELETE',
        path: `${objectPath(s, target(s))}${query}`,
        ...(body === undefined ? {} : { headers: JSON_TYPE, body }),
      });
    /** The Status a delete answers, with the uid's form only. */
    const deleted: AnswerOptions = { project: (body) => body };
    const uidOf = async (side: Side) =>
      (
        JSON.parse(
          (await send(side.endpoint, { path: objectPath(side.subject, target(side.subject)) })).text,
        ) as {
          metadata: { uid: string; resourceVersion: string };
        }
      ).metadata;

    it.each([
      ['{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}', ''],
      ['{"propagationPolicy":"Bogus"}', ''],
      [undefined, '?propagationPolicy=Bogus'],
      ['{"orphanDependents":true,"propagationPolicy":"Orphan"}', ''],
      ['{"dryRun":["x"]}', ''],
      [undefined, '?dryRun=x'],
      ['{"kind":"Foo"}', ''],
      ['{"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","gracePeriodSeconds":"x"}', ''],
      ['{bad', ''],
      ['[]', ''],
    ])('DELETE with %s %s', async (body, query) => {
      await expectSameAnswer(prism, reference, remove(body, query), deleted);
    });

    it('refuses a resourceVersion precondition that does not hold (409)', async () => {
      const [p, r] = await answers(
        prism,
        reference,
        remove('{"preconditions":{"resourceVersion":"1"}}'),
        deleted,
      );
      expect(withoutNumbers(p)).toEqual(withoutNumbers(r));
    });

    it('answers a dry-run delete with the Status of the object, uid included', async () => {
      const [p, r] = await answers(prism, reference, remove(undefined, '?dryRun=All'), deleted);
      expect(p).toEqual(r);
      const [pm, rm] = await Promise.all([uidOf(prism), uidOf(reference)]);
      expect([pm.uid, rm.uid]).toEqual([expect.any(String), expect.any(String)]);
      await expectSameAnswer(prism, reference, remove(JSON.stringify({ dryRun: ['All'] })), deleted);
    });

    it('honours matching preconditions', async () => {
      const metadata = { prism: await uidOf(prism), reference: await uidOf(reference) };
      await expectSameAnswer(
        prism,
        reference,
        (s) =>
          remove(
            JSON.stringify({
              dryRun: ['All'],
              preconditions: s === prism.subject ? metadata.prism : metadata.reference,
            }),
          )(s),
        deleted,
      );
    });

    it('answers 404 for an object that does not exist', async () => {
      await expectSameAnswer(prism, reference, (s) => ({ method: 'DELETE', path: objectPath(s, ABSENT) }));
    });
  });

  describe('validation errors (422)', () => {
    /** Field paths differ between the two kinds; what must agree is the form. */
    const fieldless = (answer: Answer): Answer =>
      JSON.parse(JSON.stringify(answer).replace(/spec(\.[A-Za-z]+|\[\d+\])+/g, '<field>')) as Answer;

    it('reports missing required fields as FieldValueRequired, naming the group', async () => {
      const named = (side: Side): Side => ({ ...side, subject: { ...side.subject, names: ['app1'] } });
      const [p, r] = await answers(named(world.createOnly.prism), named(world.applications.reference), (s) =>
        s.kind === 'LifecycleEvent'
          ? {
              method: 'POST',
              path: collectionPath(s),
              headers: JSON_TYPE,
              body: JSON.stringify({ metadata: { name: 'app1' }, spec: { type: 'Updated', resource: {} } }),
            }
          : {
              method: 'POST',
              path: `${collectionPath(s)}?dryRun=All`,
              headers: JSON_TYPE,
              body: JSON.stringify({
                apiVersion: groupVersion(s),
                kind: s.kind,
                metadata: { name: 'app1' },
                spec: { componentKinds: [{}] },
              }),
            },
      );
      expect(fieldless(p)).toEqual(fieldless(r));
    });
  });
});
