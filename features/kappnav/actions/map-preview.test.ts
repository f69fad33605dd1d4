import { describe, expect, it } from 'vitest';
import { configMap, InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import type { KindActionMapping } from '../kam/kind-action-mapping.ts';
import { previewMaps } from './map-preview.ts';
import { mappingSubjectOf } from '../kam/mapping-subject.ts';
import { loadManifests } from '../../../test/support/kappnav/shipped-manifests.ts';

const kams = loadManifests('kam-default.yaml') as KindActionMapping[];
const pod = mappingSubjectOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } });
const names = (preview: ReturnType<typeof previewMaps>) =>
  preview.candidates.map((c) => `${c.name}@${c.namespace}`);

describe('previewMaps (kappnav-prism.md §1.4.7)', () => {
  const maps = new InMemoryConfigMaps([
    configMap('kappnav', 'kappnav.actions.pod', { 'url-actions': '[{"name":"kind"}]' }),
    configMap('ns', 'ns.actions.pod.p', { 'url-actions': '[{"name":"instance"}]' }),
    configMap('kappnav', 'kappnav.status-mapping-unregistered', { exists: '{"value":"Normal"}' }),
  ]);

  it('lists the candidates of a type and merges the actions found', () => {
    const preview = previewMaps(pod, 'actions', kams, maps);
    expect(names(preview)).toEqual(['ns.actions.pod.p@ns', 'kappnav.actions.pod@kappnav']);
    expect(preview.map).toEqual({ 'url-actions': [{ name: 'instance' }, { name: 'kind' }] });
  });

  it('falls back to the unregistered status map, listing its candidates, and answers null without any map', () => {
    const status = previewMaps(pod, 'status-mapping', kams, maps);
    expect(names(status)).toEqual(['kappnav.status-mapping-unregistered@kappnav']);
    // `exists` parsed, as kAppNav's preview shows it (the UI reads it as an object).
    expect(status.map).toEqual({ exists: { value: 'Normal' } });
    expect(previewMaps(pod, 'sections', kams, maps)).toEqual({
      candidates: [expect.objectContaining({ name: 'kappnav.sections.pod' })],
      map: null,
    });
  });
});
