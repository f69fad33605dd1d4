import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { AccessReviewer } from './access-review.ts';

function fakeClient(decide: (spec: Record<string, unknown>) => boolean) {
  const sent: Record<string, unknown>[] = [];
  const client: Pick<KubeClient, 'request'> = {
    request: <T>(_method: string, path: string, options?: { body?: unknown }) => {
      const spec = (options?.body as { spec: Record<string, unknown> }).spec;
      sent.push({ path, spec });
      return Promise.resolve({ status: { allowed: decide(spec), reason: 'because' } } as T);
    },
  };
  return { client, sent };
}

const dev = { name: 'dev', uid: 'u1', groups: ['developers'], extra: { scopes: ['a'] } };
const list = {
  resource: { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'prod', name: '' },
};

describe('AccessReviewer', () => {
  it('sends a SubjectAccessReview for the original user, without empty attributes', async () => {
    const { client, sent } = fakeClient(() => true);
    expect(await new AccessReviewer(client).review(dev, list)).toEqual({ allowed: true, reason: 'because' });
    expect(sent).toEqual([
      {
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        spec: {
          user: 'dev',
          uid: 'u1',
          groups: ['developers'],
          extra: { scopes: ['a'] },
          resourceAttributes: { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'prod' },
        },
      },
    ]);
  });

  it('caches allow and deny answers, per user and attributes', async () => {
    const { client, sent } = fakeClient(
      (spec) => (spec.resourceAttributes as { namespace?: string } | undefined)?.namespace === 'prod',
    );
    const reviewer = new AccessReviewer(client);
    expect((await reviewer.review(dev, list)).allowed).toBe(true);
    expect((await reviewer.review(dev, list)).allowed).toBe(true);
    const elsewhere = { resource: { ...list.resource, namespace: 'dev' } };
    expect((await reviewer.review(dev, elsewhere)).allowed).toBe(false);
    expect((await reviewer.review(dev, elsewhere)).allowed).toBe(false);
    await reviewer.review({ ...dev, name: 'other' }, list);
    expect(sent).toHaveLength(3);
    expect(reviewer.reviewsSent).toBe(3);
  });

  it('allows system:masters without asking, and asks about non-resource paths', async () => {
    const { client, sent } = fakeClient(() => false);
    const reviewer = new AccessReviewer(client);
    expect(
      await reviewer.review({ name: 'system:kube-aggregator', groups: ['system:masters'], extra: {} }, list),
    ).toMatchObject({ allowed: true });
    expect(sent).toEqual([]);
    await reviewer.review(dev, { nonResource: { verb: 'get', path: '/apis' } });
    expect(sent[0]!.spec).toMatchObject({ nonResourceAttributes: { verb: 'get', path: '/apis' } });
  });

  it('treats an explicit denial as a denial even when also allowed', async () => {
    const client: Pick<KubeClient, 'request'> = {
      request: <T>() => Promise.resolve({ status: { allowed: true, denied: true } } as T),
    };
    expect((await new AccessReviewer(client).review(dev, list)).allowed).toBe(false);
  });
});
