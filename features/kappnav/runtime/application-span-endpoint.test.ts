import { describe, expect, it } from 'vitest';
import { CORE_TYPES, type ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { User } from '../../../server/delegated-auth/user.ts';
import type { AccessAttributes, ResourceAttributes } from '../../../server/delegated-auth/access-review.ts';
import type { AdmissionRequest } from '../../../webhook/admission-review.ts';
import { readKappnavConfig } from '../model/config.ts';
import { ApplicationSpanEndpoint } from './application-span-endpoint.ts';

const TYPES: ResourceType[] = [CORE_TYPES.secrets, CORE_TYPES.deployments, CORE_TYPES.namespaces];

/** The endpoint over a cluster serving TYPES, with `app-namespaces` as given, and a reviewer asking `allow`. */
function endpoint(allow: (a: ResourceAttributes) => boolean, appNamespaces = '') {
  const reviews: ResourceAttributes[] = [];
  const reviewer = {
    review: (_user: User, attributes: AccessAttributes) => {
      if (!('resource' in attributes)) throw new Error('a resource review');
      reviews.push(attributes.resource);
      return Promise.resolve({ allowed: allow(attributes.resource), reason: '' });
    },
  };
  const cluster = {
    forKind: (group: string, kind: string) => TYPES.find((t) => t.group === group && t.kind === kind),
    kappnavConfig: () => readKappnavConfig({ 'app-namespaces': appNamespaces }).config,
  };
  return { span: new ApplicationSpanEndpoint(cluster, reviewer), reviews };
}

function app(kinds: { group: string; kind: string }[], namespaces?: string): KubeObject {
  return {
    apiVersion: 'app.k8s.io/v1beta1',
    kind: 'Application',
    metadata: {
      name: 'peek',
      namespace: 'dev',
      ...(namespaces === undefined ? {} : { annotations: { 'kappnav.component.namespaces': namespaces } }),
    },
    spec: { componentKinds: kinds, selector: { matchLabels: { tier: 'secret' } } },
  };
}

function request(object: KubeObject, oldObject?: KubeObject): AdmissionRequest {
  return {
    uid: 'u',
    kind: { group: 'app.k8s.io', version: 'v1beta1', kind: 'Application' },
    resource: { group: 'app.k8s.io', version: 'v1beta1', resource: 'applications' },
    namespace: 'dev',
    name: 'peek',
    operation: oldObject ? 'UPDATE' : 'CREATE',
    userInfo: { username: 'dev-user', groups: ['system:authenticated'] },
    object,
    ...(oldObject ? { oldObject } : {}),
  };
}

const SECRETS = [{ group: 'core', kind: 'Secret' }];
/** dev-user as `edit` in dev: may list everything there, nothing elsewhere. */
const inDevOnly = (a: ResourceAttributes) => a.namespace === 'dev';

describe('ApplicationSpanEndpoint (issue 15, finding 5)', () => {
  it("refuses an Application counting another namespace's Secrets its author may not list", async () => {
    const { span } = endpoint(inDevOnly);
    const verdict = await span.validate(request(app(SECRETS, 'prod')));
    expect(verdict.denials).toEqual([
      {
        reason: 'FieldValueForbidden',
        field: 'metadata.annotations[kappnav.component.namespaces]',
        message:
          'metadata.annotations[kappnav.component.namespaces] "prod": the Application would count secrets in namespace "prod", which user "dev-user" may not list; an Application may only span namespaces whose component kinds its author may list (issue 15, finding 5)',
      },
    ]);
  });

  it('admits what its author may list, and checks each kind in each namespace as a list', async () => {
    const { span, reviews } = endpoint(() => true);
    const verdict = await span.validate(
      request(app([...SECRETS, { group: 'apps', kind: 'Deployment' }], 'prod, stage')),
    );
    expect(verdict.denials).toEqual([]);
    expect(reviews.map((r) => `${r.verb} ${r.resource} ${r.namespace}`).sort()).toEqual([
      'list deployments dev',
      'list deployments prod',
      'list deployments stage',
      'list secrets dev',
      'list secrets prod',
      'list secrets stage',
    ]);
  });

  it("checks the Application's own namespace too, and a cluster-scoped kind cluster-wide", async () => {
    const { span } = endpoint(
      (a) => (a.resource !== 'secrets' || a.namespace === 'prod') && a.namespace !== undefined,
    );
    const verdict = await span.validate(
      request(app([...SECRETS, { group: 'core', kind: 'Namespace' }], 'prod')),
    );
    expect(verdict.denials.map((d) => d.message)).toEqual([
      'spec.componentKinds: the Application would count secrets in namespace "dev", which user "dev-user" may not list; an Application may only span namespaces whose component kinds its author may list (issue 15, finding 5)',
      'spec.componentKinds: the Application would count namespaces cluster-wide, which user "dev-user" may not list; an Application may only span namespaces whose component kinds its author may list (issue 15, finding 5)',
    ]);
  });

  it('leaves an Application of its own namespace alone, and says so to kube-apiserver', async () => {
    const { span, reviews } = endpoint(() => false);
    expect((await span.validate(request(app(SECRETS)))).denials).toEqual([]);
    expect((await span.validate(request(app(SECRETS, ' , dev')))).denials).toEqual([]);
    expect(reviews).toEqual([]);
    expect(span.declaration()).toMatchObject({
      failurePolicy: 'Fail',
      matchConditions: [
        {
          name: 'spans-other-namespaces',
          expression:
            "has(object.metadata.annotations) && 'kappnav.component.namespaces' in object.metadata.annotations && !object.metadata.annotations['kappnav.component.namespaces'].matches('^[ ,]*$')",
        },
      ],
    });
  });

  it('does not check an update that leaves what the Application spans as it was', async () => {
    const { span, reviews } = endpoint(() => false);
    const before = app(SECRETS, 'prod');
    const relabelled = { ...before, metadata: { ...before.metadata, labels: { team: 'x' } } };
    expect((await span.validate(request(relabelled, before))).denials).toEqual([]);
    expect(reviews).toEqual([]);
    // Adding a namespace is checked, the whole span (as RBAC checks a changed Role whole).
    const widened = app(SECRETS, 'prod, stage');
    expect((await span.validate(request(widened, before))).denials).toHaveLength(3);
  });

  it('counts, and so checks, only the namespaces the app-namespaces frontier permits', async () => {
    const { span, reviews } = endpoint(inDevOnly, 'dev, stage');
    expect((await span.validate(request(app(SECRETS, 'prod')))).denials).toEqual([]);
    expect(reviews).toEqual([]);
    expect((await span.validate(request(app(SECRETS, 'prod, stage')))).denials).toHaveLength(1);
    expect(reviews.map((r) => r.namespace)).toEqual(['dev', 'stage']);
  });

  it('refuses a kind the cluster does not serve in an Application reaching beyond its namespace', async () => {
    const cloud = [{ group: 'kappnav.io', kind: 'CloudService' }];
    const { span } = endpoint(() => true);
    expect((await span.validate(request(app(cloud)))).denials).toEqual([]);
    const verdict = await span.validate(request(app(cloud, 'prod')));
    expect(verdict.denials).toEqual([
      expect.objectContaining({
        field: 'spec.componentKinds[0]',
        message: expect.stringContaining('"kappnav.io/CloudService": the cluster serves no such kind'),
      }),
    ]);
  });
});
