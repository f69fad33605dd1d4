import { describe, expect, it } from 'vitest';
import { CORE_TYPES } from '../../../pkg/kube/resource-type.ts';
import { application, deployment, TEST_TYPES } from '../../../test/support/kappnav/status-fixtures.ts';
import { MemoryCluster } from '../../../test/support/kappnav/memory-cluster.ts';
import { referenceOf } from './object-identity.ts';
import { OverlayClusterView } from './overlay-cluster-view.ts';

const app = application('web', { kinds: [{ group: 'apps', kind: 'Deployment' }], selector: {} });
const stored = deployment('d1', 'Normal', { labels: { v: 'stored' } });
const other = deployment('d2', 'Normal');
const cluster = new MemoryCluster(TEST_TYPES, [app, stored, other]);
const names = (objects: readonly { metadata?: { name?: string; labels?: Record<string, string> } }[]) =>
  objects.map((o) => `${o.metadata?.name}:${o.metadata?.labels?.v ?? ''}`).sort();

describe('OverlayClusterView', () => {
  it('shows the overlaid version instead of the stored one, in its namespace only', () => {
    const newer = deployment('d1', 'Warning', { labels: { v: 'newer' } });
    const view = new OverlayClusterView(cluster, referenceOf(newer), newer);
    expect(names(view.list(CORE_TYPES.deployments))).toEqual(['d1:newer', 'd2:']);
    expect(names(view.list(CORE_TYPES.deployments, 'default'))).toEqual(['d1:newer', 'd2:']);
    expect(view.list(CORE_TYPES.deployments, 'elsewhere')).toEqual([]);
    expect(view.list(CORE_TYPES.services)).toEqual([]);
  });

  it('adds an object the view does not have yet, and hides one that is gone', () => {
    const created = deployment('d3', 'Normal');
    expect(
      names(new OverlayClusterView(cluster, referenceOf(created), created).list(CORE_TYPES.deployments)),
    ).toEqual(['d1:stored', 'd2:', 'd3:']);
    const gone = new OverlayClusterView(cluster, referenceOf(stored), undefined);
    expect(names(gone.list(CORE_TYPES.deployments))).toEqual(['d2:']);
  });

  it('overlays applications too', () => {
    const gone = new OverlayClusterView(cluster, referenceOf(app), undefined);
    expect(gone.applications()).toEqual([]);
    expect(gone.getApplication('default', 'web')).toBeUndefined();
    const changed = { ...app, spec: { componentKinds: [], selector: {} } };
    const view = new OverlayClusterView(cluster, referenceOf(changed), changed);
    expect(view.getApplication('default', 'web')).toBe(changed);
    expect(view.applications('default')).toEqual([changed]);
  });
});
