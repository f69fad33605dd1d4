import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { JsonObject } from '../../../pkg/json/json-value.ts';
import type { KindActionMapping } from './kind-action-mapping.ts';
import { mappingSubjectOf } from './mapping-subject.ts';
import { sectionMapFor, sectionMapOf } from './section-map.ts';
import { configMap, InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import { loadManifests } from '../../../test/support/kappnav/shipped-manifests.ts';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    namespace: 'shop',
    name: 'web',
    labels: { 'stack.appsody.dev/id': 'nodejs', 'stack.appsody.dev/version': '0.3', app: 'web' },
    annotations: {
      'stack.appsody.dev/configured': 'docker.io/appsody/nodejs:0.3',
      'image.opencontainers.org/created': '2020-01-01',
      'image.opencontainers.org/revision': 'abc',
      unrelated: 'x',
    },
  },
};

describe('sectionMapOf (kappnav-prism.md §3.9)', () => {
  it('lists enabled sections data: named keys then prefixed keys, labels before annotations', () => {
    const merged: JsonObject = {
      sections: [
        {
          name: 'appsody',
          title: 'Appsody',
          'title.nls': 'section.appsody.title',
          datasource: 'appsody-data',
          'enablement-label': 'stack.appsody.dev/id',
        },
        { name: 'image', title: 'Image', datasource: 'image-data' },
      ],
      'section-datasources': [
        {
          name: 'appsody-data',
          type: 'labels-annotations',
          labels: ['app', 'stack.appsody.dev/id', 'missing'],
          'label-prefixes': ['stack.appsody.dev/'],
          annotations: ['stack.appsody.dev/configured'],
          'annotation-prefixes': ['stack.appsody.dev/'],
        },
        // No prefix lists at all: the reference failed on this.
        {
          name: 'image-data',
          type: 'annotations',
          annotations: ['image.opencontainers.org/created', 'image.opencontainers.org/revision'],
        },
      ],
    };
    expect(sectionMapOf(merged, deployment)).toEqual({
      sections: merged.sections,
      'section-data': [
        {
          name: 'appsody-data',
          data: [
            { label: 'app', value: 'web' },
            { label: 'stack.appsody.dev/id', value: 'nodejs' },
            { label: 'stack.appsody.dev/version', value: '0.3' },
            { annotation: 'stack.appsody.dev/configured', value: 'docker.io/appsody/nodejs:0.3' },
          ],
        },
        {
          name: 'image-data',
          data: [
            { annotation: 'image.opencontainers.org/created', value: '2020-01-01' },
            { annotation: 'image.opencontainers.org/revision', value: 'abc' },
          ],
        },
      ],
    });
  });

  it('leaves out disabled sections and missing datasources, omits empty data, and emits a shared datasource once', () => {
    const merged: JsonObject = {
      sections: [
        { name: 'off', datasource: 'labels', 'enablement-label': 'absent' },
        { name: 'by-annotation', datasource: 'labels', 'enablement-label': 'unrelated' },
        { name: 'again', datasource: 'labels' },
        { name: 'nothing', datasource: 'empty' },
        { name: 'dangling', datasource: 'no-such-datasource' },
        { name: 'no-datasource' },
      ],
      'section-datasources': [
        { name: 'labels', type: 'labels', labels: ['app'], annotations: ['unrelated'] },
        { name: 'empty', type: 'labels', 'label-prefixes': ['none/'] },
      ],
    };
    expect(sectionMapOf(merged, deployment)['section-data']).toEqual([
      { name: 'labels', data: [{ label: 'app', value: 'web' }] },
      { name: 'empty' },
    ]);
  });

  it('gives {} without sections', () => {
    expect(sectionMapOf({}, deployment)).toEqual({});
    expect(sectionMapOf({ sections: [] }, deployment)).toEqual({});
  });
});

describe('sectionMapFor', () => {
  const kams = loadManifests('kam-default.yaml') as KindActionMapping[];
  const maps = new InMemoryConfigMaps([
    configMap('kappnav', 'kappnav.sections.deployment', {
      sections: '[{"name":"labels","datasource":"all-labels"}]',
      'section-datasources': '[{"name":"all-labels","type":"labels","label-prefixes":[""]}]',
    }),
  ]);

  it('merges the section maps the KindActionMappings name', () => {
    expect(sectionMapFor(mappingSubjectOf(deployment), deployment, kams, maps)['section-data']).toEqual([
      {
        name: 'all-labels',
        data: [
          { label: 'stack.appsody.dev/id', value: 'nodejs' },
          { label: 'stack.appsody.dev/version', value: '0.3' },
          { label: 'app', value: 'web' },
        ],
      },
    ]);
  });

  it('computes nothing for a resource without a name', () => {
    const nameless = { ...deployment, metadata: { namespace: 'shop' } };
    expect(sectionMapFor(mappingSubjectOf(nameless), nameless, kams, maps)).toEqual({});
  });
});
