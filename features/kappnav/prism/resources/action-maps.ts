/**
 * `actionmaps` (kind ActionMap, short name `amap`): the merged action map of one resource
 * (kappnav-prism.md §3.4, §3.5) with how it came about: the candidate config-map names its
 * KindActionMappings give, in hierarchy order and written `<name>@<namespace>` as the seed's preview API
 * wrote them, and the maps that were found and merged. Named like `resourcestatuses`:
 * `kubectl get amap deployment.apps:web -n prod -o yaml`.
 *
 * Listing shows the resources kAppNav tracks; getting by name works for any namespaced resource, computed
 * on demand. Recomputed whenever an action map, an NLS map or a KindActionMapping changes (the model's
 * maps are re-merged then). `?locale=` translates the map. A user sees an action map when they may list
 * the resource in its namespace.
 */
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { ActionMap, ResourceActionMap } from '../../actions/action-map.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { PrismModel } from '../model/prism-model.ts';
import { withActionMapSource } from './translatable-action-map.ts';
import { freeForm, object, stringList } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import type { ObjectReference } from './components.ts';
import type { Projection } from './projected-resource.ts';
import { PROBLEMS_SCHEMA } from './projection.ts';
import { aboutResource } from './resource-names.ts';
import {
  perResourceDefinition,
  perResourceProjection,
  type QualifiedNameLookup,
} from './resource-projection.ts';

export interface PrismActionMap extends KubeObject {
  metadata: ObjectMeta;
  spec: { resource: ObjectReference };
  status: {
    /** `<name>@<namespace>` of every candidate, most specific first. */
    candidateMaps: string[];
    /** `<name>@<namespace>` of the maps merged, most specific first (a `replace` map is the last). */
    mergedMaps: string[];
    actionMap: ActionMap;
    problems?: string[];
  };
}

const count = (map: ActionMap, group: 'url-actions' | 'cmd-actions') => map[group]?.length ?? 0;

export const ACTION_MAPS: ResourceDefinition<PrismActionMap> = perResourceDefinition({
  resource: 'actionmaps',
  singularName: 'actionmap',
  kind: 'ActionMap',
  shortNames: ['amap'],
  description:
    'ActionMap is the merged kAppNav action map of one resource, named <kind>[.<group>]:<name> (for example deployment.apps:web), with the KindActionMapping candidates it was looked up under and the config maps merged. Read-only; ?locale= translates action texts.',
  status: object('The merged action map and where it came from.', {
    candidateMaps: stringList(
      'Candidate config maps as <name>@<namespace>, in hierarchy order (KindActionMapping specificity, then precedence).',
    ),
    mergedMaps: stringList(
      'The candidate config maps that exist and were merged, most specific first; a map annotated kappnav.actions.on.conflict=replace is the last.',
    ),
    actionMap: freeForm(
      'The merged action map: url-actions, cmd-actions, function-actions, inputs, snippets, variables (only non-empty ones).',
    ),
    problems: PROBLEMS_SCHEMA,
  }),
  columns: [
    nameColumn(),
    {
      name: 'URL-Actions',
      type: 'integer',
      format: '',
      description: 'How many url-actions the map has.',
      priority: 0,
      cell: (m) => count(m.status.actionMap, 'url-actions'),
    },
    {
      name: 'CMD-Actions',
      type: 'integer',
      format: '',
      description: 'How many cmd-actions the map has.',
      priority: 0,
      cell: (m) => count(m.status.actionMap, 'cmd-actions'),
    },
    {
      name: 'Maps',
      type: 'string',
      format: '',
      description: 'The config maps merged, most specific first.',
      priority: 0,
      cell: (m) => m.status.mergedMaps.join(','),
    },
    ageColumn(),
    {
      name: 'Candidates',
      type: 'string',
      format: '',
      description: 'Every candidate config map, in hierarchy order.',
      priority: 1,
      cell: (m) => m.status.candidateMaps.join(','),
    },
  ],
  selectableFields: { 'spec.resource.kind': (m) => m.spec.resource.kind },
});

const at = ({ name, namespace }: { name: string; namespace: string }) => `${name}@${namespace}`;

function prismActionMap(
  resource: KubeObject,
  type: Pick<ResourceType, 'resource'>,
  actions: ResourceActionMap,
  source: () => ResourceActionMap,
): PrismActionMap {
  return withActionMapSource(
    {
      apiVersion: PRISM_GROUP_VERSION,
      kind: ACTION_MAPS.kind,
      ...aboutResource(resource, type, 'actionmap'),
      status: {
        candidateMaps: actions.candidates.map(at),
        mergedMaps: actions.merged.map(at),
        actionMap: actions.map,
        ...(actions.problems.length > 0 ? { problems: [...actions.problems] } : {}),
      },
    },
    source,
  );
}

export interface ActionMapLookup extends QualifiedNameLookup {
  model: Pick<PrismModel, 'mapsOf'>;
}

export function actionMapsProjection(lookup: ActionMapLookup): Projection<PrismActionMap> {
  return perResourceProjection(ACTION_MAPS, lookup, {
    tracked: ({ insight, type }, view) =>
      prismActionMap(insight.object, type, insight.actions, () => view.actionsOf(insight.object)),
    named: (resource, type) => {
      const source = () => lookup.model.mapsOf(resource).actions;
      return prismActionMap(resource, type, source(), source);
    },
  });
}
