import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { candidateMaps, type CandidateMap } from './candidate-maps.ts';
import type { KindActionMapping, MappingRule } from './kind-action-mapping.ts';
import { mappingSubjectOf, type MappingSubject } from './mapping-subject.ts';
import { loadManifests } from '../../../test/support/kappnav/shipped-manifests.ts';

const defaultKam = loadManifests('kam-default.yaml') as KindActionMapping[];

function kam(
  namespace: string,
  name: string,
  precedence: number | undefined,
  spec: object,
): KindActionMapping {
  return {
    apiVersion: 'actions.kappnav.io/v1',
    kind: 'KindActionMapping',
    metadata: { namespace, name },
    spec: { ...(precedence === undefined ? {} : { precedence }), ...spec },
  };
}

function resource(fields: {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  subkind?: string;
  owners?: { apiVersion: string; kind: string; uid: string; name?: string }[];
}): KubeObject {
  return {
    apiVersion: fields.apiVersion,
    kind: fields.kind,
    metadata: {
      ...(fields.name ? { name: fields.name } : {}),
      ...(fields.namespace ? { namespace: fields.namespace } : {}),
      ...(fields.subkind ? { annotations: { 'kappnav.subkind': fields.subkind } } : {}),
      ...(fields.owners
        ? { ownerReferences: fields.owners.map((owner) => ({ name: 'owner', ...owner })) }
        : {}),
    },
  };
}

const names = (candidates: CandidateMap[]) => candidates.map((c) => `${c.name}@${c.namespace}`);

describe('candidateMaps: the worked examples of kind-action-mapping.md (kappnav-prism.md §3.4)', () => {
  it('extensions/v1beta1 Deployment trader with subkind Liberty and the appsody KAM of precedence 2', () => {
    const appsody = kam('appsody', 'appsody', 2, {
      mappings: [
        // The design writes `subkind: Liberty`; subkinds compare case-insensitively, so it matches.
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'Deployment',
          subkind: 'Liberty',
          mapname: 'appsody.actions.deployment-liberty',
        },
        { apiVersion: 'extensions/v1beta1', kind: 'Deployment', mapname: 'appsody.actions.deployment' },
      ],
    });
    const trader = resource({
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      name: 'trader',
      namespace: 'stocktrader',
      subkind: 'Liberty',
    });
    expect(names(candidateMaps(mappingSubjectOf(trader), [...defaultKam, appsody], 'actions'))).toEqual([
      'stocktrader.actions.deployment-liberty.trader@stocktrader',
      'appsody.actions.deployment-liberty@appsody',
      'kappnav.actions.deployment-liberty@kappnav',
      'appsody.actions.deployment@appsody',
      'kappnav.actions.deployment@kappnav',
    ]);
  });

  it('v1 Service trader without subkind and the appsody KAM of precedence 2', () => {
    const appsody = kam('appsody', 'appsody', 2, {
      mappings: [{ apiVersion: 'v1', kind: 'Service', mapname: 'appsody.actions.service' }],
    });
    const trader = resource({ apiVersion: 'v1', kind: 'Service', name: 'trader', namespace: 'stocktrader' });
    expect(names(candidateMaps(mappingSubjectOf(trader), [appsody, ...defaultKam], 'actions'))).toEqual([
      'stocktrader.actions.service.trader@stocktrader',
      'appsody.actions.service@appsody',
      'kappnav.actions.service@kappnav',
    ]);
  });

  it('maps the kappnav Application to its own map besides the kind maps', () => {
    const app = resource({
      apiVersion: 'app.k8s.io/v1beta1',
      kind: 'Application',
      name: 'kappnav',
      namespace: 'kappnav',
    });
    expect(names(candidateMaps(mappingSubjectOf(app), defaultKam, 'actions'))).toEqual([
      'kappnav.actions.application.kappnav@kappnav',
      'kappnav.actions.application.kappnav@kappnav',
      'kappnav.actions.application@kappnav',
    ]);
  });

  it('finds status and section maps through statusMappings and sectionMappings', () => {
    const pod = resource({ apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns' });
    expect(names(candidateMaps(mappingSubjectOf(pod), defaultKam, 'status-mapping'))).toEqual([
      'kappnav.status-mapping.pod@kappnav',
    ]);
    expect(names(candidateMaps(mappingSubjectOf(pod), defaultKam, 'sections'))).toEqual([
      'kappnav.sections.pod@kappnav',
    ]);
  });
});

describe('candidateMaps: the test/test-kam fixtures (kappnav-prism.md §7.2)', () => {
  const owner = {
    apiVersion: 'kappnav.operator.kappnav.io/v1',
    kind: 'Kappnav',
    uid: '12345678-aaaa-bbbb-cccc-123456789abc',
  };
  const rules = (kind: string, mapname: string, extra: object = {}): MappingRule[] => [
    { apiVersion: 'tests/v1', kind, mapname, ...extra },
  ];
  const kam1 = kam('test', 'kam1', 8, {
    mappings: rules('Deployment', 'test.actions.deployment.test1'),
    statusMappings: rules('Deployment', 'test.status-mapping.deployment.test1'),
    sectionMappings: rules('Deployment', 'test.sections.deployment.test1'),
  });
  const kam2 = kam('test', 'kam2', 5, {
    mappings: rules('Deployment', '${namespace}.actions.test2', { subkind: 'Liberty', owner }),
    statusMappings: rules('Deployment', '${namespace}.status-mapping.test2', { subkind: 'Liberty', owner }),
    sectionMappings: rules('Deployment', '${namespace}.sections.test2', { subkind: 'Liberty', owner }),
  });
  // The preview query of the README: kind Deployment, apiversion tests/v1, subkind Liberty, the owner, namespace test.
  const subject = mappingSubjectOf(
    resource({
      apiVersion: 'tests/v1',
      kind: 'Deployment',
      namespace: 'test',
      subkind: 'Liberty',
      owners: [owner],
    }),
  );

  it.each([
    ['actions', ['test.actions.test2@test', 'test.actions.deployment.test1@test']],
    ['status-mapping', ['test.status-mapping.test2@test', 'test.status-mapping.deployment.test1@test']],
    ['sections', ['test.sections.test2@test', 'test.sections.deployment.test1@test']],
  ] as const)(
    '%s: the KS rule of kam2 (precedence 5) comes before the K rule of kam1 (precedence 8)',
    (type, expected) => {
      expect(names(candidateMaps(subject, [kam1, kam2], type))).toEqual(expected);
    },
  );

  it('leaves out kam2 for another owner uid, and for a resource without that owner', () => {
    const otherUid = mappingSubjectOf(
      resource({
        apiVersion: 'tests/v1',
        kind: 'Deployment',
        namespace: 'test',
        subkind: 'Liberty',
        owners: [{ ...owner, uid: 'x' }],
      }),
    );
    const noOwner = mappingSubjectOf(
      resource({ apiVersion: 'tests/v1', kind: 'Deployment', namespace: 'test', subkind: 'Liberty' }),
    );
    for (const s of [otherUid, noOwner])
      expect(names(candidateMaps(s, [kam1, kam2], 'actions'))).toEqual([
        'test.actions.deployment.test1@test',
      ]);
  });
});

describe('candidateMaps: the test/test-kam-owner fixtures (kappnav-prism.md §7.2)', () => {
  const uid = 'dcb4f899-66d3-4fd4-b389-c184b87b43c8';
  const ownerRules = [
    { kind: 'OpenLibertyApplication' },
    { kind: 'OpenLibertyApplication', apiVersion: 'openliberty.io/v1beta1' },
    { kind: 'OpenLibertyApplication', uid },
    { kind: 'OpenLibertyApplication', apiVersion: 'openliberty.io/v1beta1', uid },
  ];
  const kams = ownerRules.map((owner, i) =>
    kam('liberty', `kam${i + 1}`, 2, {
      mappings: [{ apiVersion: '*/*', kind: 'Deployment', mapname: `map${i + 1}`, owner }],
    }),
  );
  const demoApp = resource({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'demo-app',
    namespace: 'liberty',
    owners: [{ apiVersion: 'openliberty.io/v1beta1', kind: 'OpenLibertyApplication', uid, name: 'demo-app' }],
  });

  it('matches the demo-app Deployment by owner kind, kind+apiVersion, kind+uid and all three', () => {
    expect(names(candidateMaps(mappingSubjectOf(demoApp), [...defaultKam, ...kams], 'actions'))).toEqual([
      'liberty.actions.deployment.demo-app@liberty',
      'map1@liberty',
      'map2@liberty',
      'map3@liberty',
      'map4@liberty',
      'kappnav.actions.deployment@kappnav',
    ]);
  });

  it('does not match a Deployment owned by something else, or by another OpenLibertyApplication version', () => {
    const otherOwner = resource({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'x',
      namespace: 'liberty',
      owners: [{ apiVersion: 'openliberty.io/v1', kind: 'OpenLibertyApplication', uid: 'other' }],
    });
    expect(names(candidateMaps(mappingSubjectOf(otherOwner), kams, 'actions'))).toEqual(['map1@liberty']);
  });
});

describe('candidateMaps: rules', () => {
  const subject = (fields: Partial<MappingSubject>): MappingSubject => ({
    namespace: 'ns',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    subkind: '',
    name: 'web',
    owners: [],
    ...fields,
  });
  const only = (rule: MappingRule, s: MappingSubject, precedence?: number) =>
    names(
      candidateMaps(s, [kam('kams', 'k', precedence, { mappings: [{ mapname: 'm', ...rule }] })], 'actions'),
    );

  it.each([
    ['apps/v1', 'apps/v1', true],
    ['*/*', 'apps/v1', true],
    ['apps/*', 'apps/v1', true],
    ['*/v1', 'apps/v1', true],
    ['batch/*', 'apps/v1', false],
    ['*', 'apps/v1', false],
    ['*', 'v1', true],
    ['v1', 'v1', true],
    ['/v1', 'v1', true],
    ['*/*', 'v1', false],
    ['v2', 'v1', false],
    ['a/b/c', 'a/b/c', true],
    ['*/*/*', 'a/b/c', false],
    [undefined, 'v1', false],
  ])('rule apiVersion %s against resource %s: %s', (ruleApiVersion, resourceApiVersion, matches) => {
    expect(
      only({ apiVersion: ruleApiVersion, kind: '*' }, subject({ apiVersion: resourceApiVersion })),
    ).toHaveLength(matches ? 1 : 0);
  });

  it.each([
    // rule fields, resource subkind, resource name, matches
    [{ kind: '*' }, '', 'web', true],
    [{ kind: '*' }, 'liberty', 'web', true],
    [{ kind: '*' }, 'liberty', '', true],
    [{ kind: 'Deployment', name: 'web' }, '', 'web', true],
    [{ kind: 'Deployment', name: 'web' }, 'liberty', 'web', false], // a resource with a subkind never matches KN
    [{ kind: 'Deployment', name: '*' }, '', '', false],
    [{ kind: 'Deployment', subkind: 'liberty' }, '', 'web', false], // nor one without a subkind KS
    [{ kind: 'Deployment', subkind: 'liberty' }, 'liberty', 'web', true], // KS applies to a KSN resource
    [{ kind: 'Deployment', subkind: 'liberty' }, 'liberty', '', true],
    [{ kind: 'Deployment', subkind: 'LIBERTY' }, 'liberty', '', true], // subkinds compare case-insensitively
    [{ kind: 'Deployment', subkind: 'nodejs' }, 'liberty', '', false],
    [{ kind: 'Deployment', subkind: 'liberty', name: 'web' }, 'liberty', 'web', true],
    [{ kind: 'Deployment', subkind: '*', name: 'web' }, 'liberty', '', false], // KSN needs a named resource
    [{ kind: 'deployment' }, '', 'web', false], // kinds compare exactly
    [{ subkind: '*', name: '*' }, 'liberty', 'web', false], // a rule without a kind never matches
  ])('rule %j against subkind %j, name %j: %s', (rule, subkind, name, matches) => {
    expect(only({ apiVersion: '*/*', ...rule }, subject({ subkind, name }))).toHaveLength(matches ? 1 : 0);
  });

  it('never matches a resource without a kind', () => {
    expect(only({ apiVersion: '*/*', kind: '*' }, subject({ kind: '' }))).toEqual([]);
  });

  it('keeps every matching rule, by level, then precedence high to low, then KAM and rule order', () => {
    const s = subject({ subkind: 'liberty' });
    const kams = [
      kam('a', 'low', 1, {
        mappings: [
          { apiVersion: '*/*', kind: '*', mapname: 'a-k-1' },
          { apiVersion: '*/*', kind: 'Deployment', subkind: '*', mapname: 'a-ks' },
          { apiVersion: '*/*', kind: 'Deployment', mapname: 'a-k-2' },
        ],
      }),
      kam('b', 'high', 7, { mappings: [{ apiVersion: 'apps/v1', kind: 'Deployment', mapname: 'b-k' }] }),
      kam('c', 'low-too', undefined, { mappings: [{ apiVersion: '*/*', kind: '*', mapname: 'c-k' }] }),
      kam('d', 'sksn', 3, {
        mappings: [{ apiVersion: '*/*', kind: '*', subkind: '*', name: 'web', mapname: 'd-ksn' }],
      }),
    ];
    expect(names(candidateMaps(s, kams, 'actions'))).toEqual([
      'd-ksn@ns', // KSN maps are looked for in the resource's namespace
      'a-ks@a',
      'b-k@b',
      'a-k-1@a',
      'a-k-2@a',
      'c-k@c',
    ]);
  });

  it('keeps more than ten rules of one precedence and level, in order', () => {
    const mappings = Array.from({ length: 12 }, (_, i) => ({
      apiVersion: '*/*',
      kind: '*',
      mapname: `m${i}`,
    }));
    expect(names(candidateMaps(subject({}), [kam('k', 'k', 1, { mappings })], 'actions'))).toEqual(
      mappings.map((m) => `${m.mapname}@k`),
    );
  });

  it('clamps a precedence outside 1..9 (which the CRD rejects) and defaults a missing or odd one to 1', () => {
    const rule = (mapname: string) => ({ mappings: [{ apiVersion: '*/*', kind: '*', mapname }] });
    const kams = [
      kam('k', 'missing', undefined, rule('missing')),
      kam('k', 'huge', 42, rule('huge')),
      kam('k', 'nine', 9, rule('nine')),
      kam('k', 'negative', -3, rule('negative')),
      { ...kam('k', 'text', undefined, rule('text')), spec: { precedence: 'high', ...rule('text') } },
      kam('k', 'two', 2, rule('two')),
    ];
    expect(names(candidateMaps(subject({}), kams, 'actions'))).toEqual([
      'huge@k',
      'nine@k',
      'two@k',
      'missing@k',
      'negative@k',
      'text@k',
    ]);
  });

  it('ignores rules without a mapname, non-object rules, and KAMs without a namespace', () => {
    const kams: KindActionMapping[] = [
      kam('k', 'k', 1, {
        mappings: [
          { apiVersion: '*/*', kind: '*' },
          null,
          'rule',
          { apiVersion: '*/*', kind: '*', mapname: 'ok' },
        ],
      }),
      {
        kind: 'KindActionMapping',
        metadata: { name: 'cluster' },
        spec: { mappings: [{ apiVersion: '*/*', kind: '*', mapname: 'x' }] },
      },
    ];
    expect(names(candidateMaps(subject({}), kams, 'actions'))).toEqual(['ok@k']);
  });

  it('substitutes whole mapname segments only, each candidate with its own matching owner', () => {
    const s = subject({
      subkind: 'liberty',
      owners: [
        { apiVersion: 'apps.example.com/v1', kind: 'WebApp', uid: 'u-1' },
        { apiVersion: 'batch.example.com/v2', kind: 'Batch', uid: 'u-2' },
      ],
    });
    const kams = [
      kam('k', 'k', 1, {
        mappings: [
          {
            apiVersion: '*/*',
            kind: '*',
            owner: { kind: 'WebApp' },
            mapname: '${owner.kind}.${owner.apiVersion}.${owner.uid}',
          },
          {
            apiVersion: '*/*',
            kind: '*',
            owner: { kind: 'Batch' },
            mapname: '${owner.kind}.${owner.apiVersion}.${owner.uid}',
          },
          {
            apiVersion: '*/*',
            kind: '*',
            mapname: '${namespace}.${name}.${kind}.${kind}-${subkind}.x${kind}.${owner.kind}',
          },
          { apiVersion: '*/*', kind: '*', owner: { kind: '*' }, mapname: 'any-owner' },
        ],
      }),
    ];
    expect(names(candidateMaps(s, kams, 'actions'))).toEqual([
      'webapp.apps.example.com-v1.u-1@k',
      'batch.batch.example.com-v2.u-2@k',
      'ns.web.deployment.deployment-liberty.x${kind}.${owner.kind}@k',
      'any-owner@k',
    ]);
  });

  it('lets the first ownerReference of the rule kind decide', () => {
    const s = subject({
      owners: [
        { apiVersion: 'v1', kind: 'WebApp', uid: 'first' },
        { apiVersion: 'v1', kind: 'WebApp', uid: 'second' },
      ],
    });
    expect(only({ apiVersion: '*/*', kind: '*', owner: { kind: 'WebApp', uid: 'second' } }, s)).toEqual([]);
    expect(
      only({ apiVersion: '*/*', kind: '*', owner: { kind: 'WebApp', uid: '*', apiVersion: '*' } }, s),
    ).toEqual(['m@kams']);
  });
});

describe('mappingSubjectOf', () => {
  it('reads namespace (default "default"), apiVersion (leading / removed), lower-cased subkind, name and owners', () => {
    expect(
      mappingSubjectOf({
        apiVersion: '/v1',
        kind: 'Service',
        metadata: {
          name: 's',
          annotations: { 'kappnav.subkind': 'Liberty' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', uid: 'u', name: 'n' }],
        },
      }),
    ).toEqual({
      namespace: 'default',
      apiVersion: 'v1',
      kind: 'Service',
      subkind: 'liberty',
      name: 's',
      owners: [{ apiVersion: 'v1', kind: 'Thing', uid: 'u' }],
    });
  });

  it('uses the default apiVersion for a resource without one', () => {
    expect(
      mappingSubjectOf({ kind: 'Route', metadata: {} }, { defaultApiVersion: 'route.openshift.io/v1' })
        .apiVersion,
    ).toBe('route.openshift.io/v1');
  });
});
