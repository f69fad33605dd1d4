/**
 * Differential conformance of reads: list, get and watch of prismapplications against the Applications
 * CRD they mirror, on the same kube-apiserver, with every query parameter a client sends (label and field
 * selectors, limit/continue, resourceVersion and its match, watch options, pretty) and the representations
 * clients negotiate. Same objects, same labels: the answers must be the same, error texts included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answers,
  collectionPath,
  expectSameAnswer,
  objectPath,
  withoutNumbers,
  type AnswerOptions,
  type Side,
} from './support/conformance.ts';
import { ABSENT, startConformanceWorld, type ConformanceWorld } from './support/conformance-world.ts';
import { eventually } from './support/cluster.ts';
import { send, watchEventsOf, type RawResponse } from './support/raw-http.ts';

interface Listed {
  items?: { metadata: { name: string; annotations?: Record<string, string> } }[];
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
}

/** What a list answer is compared on: the names, in order, and the list metadata a client reads. */
const listed: AnswerOptions = {
  project: (body) => {
    const list = body as Listed;
    return {
      names: list.items?.map((item) => item.metadata.name),
      // A CRD's list (unstructured) writes `continue: ""` when there is no next page; built-ins omit it.
      continues: Boolean(list.metadata?.continue),
      remainingItemCount: list.metadata?.remainingItemCount,
    };
  },
};

/** Watch events as types and names (the objects differ in kind), in the order sent. */
function watched(response: RawResponse) {
  return watchEventsOf(response).map(({ type, object }) => {
    const metadata = (object['metadata'] ?? {}) as {
      name?: string;
      annotations?: Record<string, string>;
    };
    if (type === 'ERROR')
      return { type, code: object['code'], reason: object['reason'], message: object['message'] };
    if (type === 'BOOKMARK') return { type, annotations: metadata.annotations };
    return { type, name: metadata.name };
  });
}

describe('conformance of reads (prismapplications ↔ applications.app.k8s.io)', () => {
  let world: ConformanceWorld;
  let prism: Side;
  let reference: Side;
  const list = (query: string) => (s: Side['subject']) => ({ path: `${collectionPath(s)}${query}` });

  beforeAll(async () => {
    world = await startConformanceWorld();
    ({ prism, reference } = world.applications);
  });
  afterAll(() => world?.stop());

  describe('label selectors select the same objects', () => {
    it.each([
      ['num in ()'],
      ['num notin ()'],
      ['num>3'],
      ['num<3'],
      ['num>0,tier'],
      ['!tier'],
      ['tier in (web,db)'],
      ['tier notin (web)'],
      ['tier!=web'],
      ['num==1'],
      ['num=1'],
      ['num in (1,2),tier=web'],
      ['tier in (,web)'],
      [' tier , num '],
      [''],
    ])('%j', async (selector) => {
      await expectSameAnswer(
        prism,
        reference,
        list(`?labelSelector=${encodeURIComponent(selector)}`),
        listed,
      );
    });
  });

  describe('malformed label selectors are refused in the same words', () => {
    it.each([
      ['a in (x'],
      ['a=b=c'],
      ['-a=b'],
      ['a=-b'],
      ['a>1.5'],
      ['a>x'],
      ['a<'],
      ['a,'],
      [','],
      ['!'],
      ['!a=b'],
      ['a b'],
      ['a in x'],
      ['a in (x,'],
      ['a in (x y)'],
      ['a!'],
      ['('],
      ['a notin'],
      [`${'k'.repeat(64)}=v`],
      [`k=${'v'.repeat(64)}`],
      ['Example.com/a=b'],
      ['a/b/c=d'],
      ['a=b,c'],
    ])('%j', async (selector) => {
      await expectSameAnswer(
        prism,
        reference,
        list(`?labelSelector=${encodeURIComponent(selector)}`),
        listed,
      );
    });
  });

  describe('field selectors', () => {
    it.each([
      ['metadata.name=app1'],
      ['metadata.name=app1,'],
      ['metadata.name==app1'],
      ['metadata.name!=app1'],
      ['metadata.name=app1,metadata.name=app2'],
      [',metadata.name=app2'],
      ['metadata.namespace=NAMESPACE'],
      ['metadata.namespace!=NAMESPACE'],
      ['a=x=y'],
      ['metadata.name=x=y'],
      ['spec.x=y'],
      ['metadata.name'],
      ['=x'],
      ['metadata.name=a\\,b'],
      ['metadata.name=a\\'],
      ['metadata.name=a\\x'],
      [','],
      ['metadata.name!app1'],
    ])('%j', async (selector) => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({
          path: `${collectionPath(s)}?fieldSelector=${encodeURIComponent(selector.replace('NAMESPACE', s.namespace ?? ''))}`,
        }),
        listed,
      );
    });
  });

  describe('list parameters', () => {
    it.each([
      ['?limit=2'],
      ['?limit=2&resourceVersion=0'],
      ['?limit=2&resourceVersion=0&resourceVersionMatch=NotOlderThan'],
      ['?limit=2&labelSelector=num'],
      ['?limit=2&fieldSelector=metadata.name!%3Dapp3'],
      ['?limit=0'],
      ['?limit=-1'],
      ['?limit=x'],
      ['?limit=99999999999999999999'],
      ['?timeoutSeconds=x'],
      ['?timeoutSeconds=-1'],
      ['?resourceVersion=x'],
      ['?resourceVersion=-1'],
      ['?resourceVersion=99999999999999999999'],
      ['?resourceVersionMatch=x&resourceVersion=1'],
      ['?resourceVersionMatch=Exact'],
      ['?resourceVersionMatch=NotOlderThan'],
      ['?resourceVersionMatch=Exact&resourceVersion=0'],
      ['?resourceVersionMatch=Exact&continue=x&resourceVersion=1'],
      ['?sendInitialEvents=true'],
      ['?sendInitialEvents=false'],
      ['?continue=not-a-token'],
      ['?watch=0'],
      ['?watch=false'],
      ['?watch=FALSE'],
      ['?allowWatchBookmarks=maybe'],
      ['?includeObject=x'],
    ])('%s', async (query) => {
      await expectSameAnswer(prism, reference, list(query), listed);
    });

    it('pages with continue to the same result, remainingItemCount included', async () => {
      const first = await Promise.all(
        [prism, reference].map((side) =>
          send(side.endpoint, { path: `${collectionPath(side.subject)}?limit=2` }),
        ),
      );
      const tokens = first.map((response) => (JSON.parse(response.text) as Listed).metadata?.continue ?? '');
      const [p, r] = await answers(
        prism,
        reference,
        (s) => ({
          path: `${collectionPath(s)}?limit=2&continue=${encodeURIComponent(tokens[s === prism.subject ? 0 : 1]!)}`,
        }),
        listed,
      );
      expect(p).toEqual(r);
      expect(r.body).toMatchObject({ names: ['<name>', '<name>'], remainingItemCount: 1 });
    });

    it('keeps a continue token valid across many changes (etcd keeps revisions for minutes)', async () => {
      const first = await Promise.all(
        [prism, reference].map((side) =>
          send(side.endpoint, { path: `${collectionPath(side.subject)}?limit=2` }),
        ),
      );
      const tokens = first.map((response) => (JSON.parse(response.text) as Listed).metadata?.continue ?? '');
      // Twenty annotation changes of an Application, each followed by other clients paging through the
      // new state: twenty new states of both resources, each paged (prism once kept 16 paged states).
      for (let i = 0; i < 20; i++) {
        await send(reference.endpoint, {
          method: 'PATCH',
          path: objectPath(reference.subject, 'app3'),
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ metadata: { annotations: { churn: String(i) } } }),
        });
        await eventually(
          `prism to show change ${i}`,
          async () => {
            const response = await send(prism.endpoint, { path: `${collectionPath(prism.subject)}?limit=4` });
            const list = JSON.parse(response.text) as Listed;
            return (
              list.items?.find((item) => item.metadata.name === 'app3')?.metadata.annotations?.['churn'] ===
              String(i)
            );
          },
          10_000,
          25,
        );
      }
      const [p, r] = await answers(
        prism,
        reference,
        (s) => ({
          path: `${collectionPath(s)}?limit=2&continue=${encodeURIComponent(tokens[s === prism.subject ? 0 : 1]!)}`,
        }),
        listed,
      );
      expect(p).toEqual(r);
      expect(r.body).toMatchObject({ names: ['<name>', '<name>'], continues: true });
    });

    it('waits for a resourceVersion above 2^53 as for any future one, then answers 504', async () => {
      const [p, r] = await answers(prism, reference, list('?resourceVersion=9007199254740993'), listed);
      expect(withoutNumbers(p)).toEqual(withoutNumbers(r));
    });

    it('lists the state at a resourceVersion with resourceVersionMatch=Exact', async () => {
      const churn = (value: string) =>
        send(reference.endpoint, {
          method: 'PATCH',
          path: objectPath(reference.subject, 'app3'),
          headers: { 'content-type': 'application/merge-patch+json' },
          body: JSON.stringify({ metadata: { annotations: { exact: value } } }),
        });
      await churn('before');
      const annotation: AnswerOptions = {
        project: (body) =>
          (
            body as { items?: { metadata: { name: string; annotations?: Record<string, string> } }[] }
          ).items?.find((item) => item.metadata.name === 'app3')?.metadata.annotations?.['exact'],
      };
      // Both sides at "before", each with its own resourceVersion.
      const versions = new Map<Side['subject'], string>();
      await eventually('both sides to show the annotation', async () => {
        for (const side of [prism, reference]) {
          const response = await send(side.endpoint, { path: collectionPath(side.subject) });
          const list = JSON.parse(response.text) as Listed;
          if (
            list.items?.find((item) => item.metadata.name === 'app3')?.metadata.annotations?.['exact'] !==
            'before'
          )
            return false;
          versions.set(side.subject, list.metadata!.resourceVersion!);
        }
        return true;
      });
      await churn('after');
      await eventually('prism to follow', async () => {
        const response = await send(prism.endpoint, { path: objectPath(prism.subject, 'app3') });
        return (
          (JSON.parse(response.text) as { metadata: { annotations?: Record<string, string> } }).metadata
            .annotations?.['exact'] === 'after'
        );
      });
      const exact = await expectSameAnswer(
        prism,
        reference,
        (list2) => ({
          path: `${collectionPath(list2)}?resourceVersion=${versions.get(list2)}&resourceVersionMatch=Exact`,
        }),
        annotation,
      );
      expect(exact.body).toBe('before');
    });
  });

  describe('get', () => {
    const projectObject: AnswerOptions = {
      project: (body) => ({
        kind: (body as { kind?: string }).kind,
        name: (body as { metadata?: { name?: string } }).metadata?.name,
      }),
    };
    it.each([
      ['app1', ''],
      [ABSENT, ''],
      ['app1', '?resourceVersion=x'],
      ['app1', '?resourceVersion=0'],
      ['app1', '?labelSelector=a%20in%20(x'],
    ])('%s%s', async (name, query) => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({ path: `${objectPath(s, name)}${query}` }),
        projectObject,
      );
    });

    it('answers a watch of one object by name (fieldSelector metadata.name) as a watch', async () => {
      const [p, r] = await answers(
        prism,
        reference,
        list('?watch=true&fieldSelector=metadata.name%3Dapp2&timeoutSeconds=1'),
        { project: (_body, response) => watched(response) },
      );
      expect(p).toEqual(r);
    });
  });

  describe('representations', () => {
    const shape: AnswerOptions = {
      project: (body, response) => ({
        kind: (body as { kind?: string } | undefined)?.kind,
        apiVersion: (body as { apiVersion?: string } | undefined)?.apiVersion,
        indented: response.text.startsWith('{\n  "'),
        yaml: /^\w+:/.test(response.text),
      }),
    };
    it.each([
      [
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ],
      ['application/json;as=Table;v=v1beta1;g=meta.k8s.io'],
      ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io'],
      ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json'],
      ['application/json;as=Table;v=v2;g=meta.k8s.io'],
      ['application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/yaml'],
      ['application/yaml'],
      ['application/vnd.kubernetes.protobuf,application/json'],
      ['text/html'],
      ['*/*'],
      ['application/*'],
      ['application/json;q=0'],
    ])('Accept: %s', async (accept) => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({ path: collectionPath(s), headers: { accept } }),
        shape,
      );
    });

    it('refuses protobuf alone with 406 (kube-apiserver says so in protobuf, prism has none: JSON)', async () => {
      const [p, r] = await answers(prism, reference, (s) => ({
        path: collectionPath(s),
        headers: { accept: 'application/vnd.kubernetes.protobuf' },
      }));
      expect(p.code).toBe(r.code);
      expect(p.status).toMatchObject({ code: 406, reason: 'NotAcceptable' });
    });

    it.each([['?pretty=true'], ['?pretty=1'], ['?pretty=false'], ['?pretty=x']])('%s', async (query) => {
      await expectSameAnswer(prism, reference, list(query), shape);
      await expectSameAnswer(prism, reference, (s) => ({ path: `${objectPath(s, 'app1')}${query}` }), shape);
    });

    it('indents JSON for curl as for ?pretty', async () => {
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({ path: objectPath(s, 'app1'), headers: { 'user-agent': 'curl/8.5.0' } }),
        shape,
      );
    });
  });

  describe('watch', () => {
    const events: AnswerOptions = { project: (_body, response) => watched(response) };
    const watch =
      (query: string, readForMs = 1500) =>
      (s: Side['subject']) => ({
        path: `${collectionPath(s)}?${query}`,
        readForMs,
      });

    it.each([
      ['watch=true&timeoutSeconds=1'],
      ['watch=maybe&timeoutSeconds=1'],
      ['watch=f&timeoutSeconds=1'],
      ['watch=&timeoutSeconds=1'],
      ['watch=1&labelSelector=num%3E2&timeoutSeconds=1'],
      [
        'watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1',
      ],
      ['watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1'],
      ['watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=1'],
      ['watch=1&sendInitialEvents=true&timeoutSeconds=1'],
      ['watch=1&resourceVersionMatch=NotOlderThan&timeoutSeconds=1'],
      ['watch=1&sendInitialEvents=true&resourceVersionMatch=Exact&timeoutSeconds=1'],
      ['watch=1&resourceVersion=0&timeoutSeconds=1'],
      ['watch=1&labelSelector=a%20in%20(x'],
      ['watch=1&limit=1&timeoutSeconds=1'],
    ])('%s', async (query) => {
      await expectSameAnswer(prism, reference, watch(query), events);
    });

    it('replays nothing and waits for a resourceVersion not reached yet', async () => {
      const future = (s: Side['subject']) =>
        s === prism.subject ? String(BigInt(Date.now()) * 1000n + 10n ** 12n) : String(10 ** 12);
      await expectSameAnswer(
        prism,
        reference,
        (s) => ({
          path: `${collectionPath(s)}?watch=1&resourceVersion=${future(s)}&timeoutSeconds=1`,
          readForMs: 1500,
        }),
        events,
      );
    });

    it('answers a resourceVersion no longer kept with one ERROR event 410', async () => {
      const [p, r] = await answers(
        prism,
        reference,
        watch('watch=1&resourceVersion=1&timeoutSeconds=1'),
        events,
      );
      expect(withoutNumbers(p)).toEqual(withoutNumbers(r));
    });
  });
});
