/**
 * `prismapplications` (kind PrismApplication, short name `papp`): each kAppNav application — an
 * `app.k8s.io` Application in the `app-namespaces` frontier and not hidden — with its computed status,
 * the number and kinds of its components, and its action and section maps. A user sees the applications
 * of the namespaces where they may list Applications.
 *
 * The status and counts describe the application as a whole, like the `kappnav.status.*` annotations
 * every reader of the Application sees; which components a user may see is decided per component
 * (`prismcomponents`).
 */
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../../model/application.ts';
import type { ActionMap } from '../../actions/action-map.ts';
import type { SectionMap } from '../../kam/section-map.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ApplicationView } from '../model/prism-model.ts';
import { withActionMapSource } from './translatable-action-map.ts';
import { freeForm, integer, object, stringList } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import type { Projection } from './projected-resource.ts';
import {
  carriedMetadata,
  PROBLEMS_SCHEMA,
  qualifiedKind,
  STATUS_FIELD_SCHEMAS,
  flyoverColumn,
  statusColumn,
  statusFields,
  type StatusFields,
} from './projection.ts';

export interface PrismApplication extends KubeObject {
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
  status: StatusFields & {
    componentCount: number;
    /** The served kinds components are looked for in, as `Kind.group`. */
    componentKinds: string[];
    problems?: string[];
    actionMap: ActionMap;
    sectionMap: SectionMap;
  };
}

export const APPLICATIONS: ResourceDefinition<PrismApplication> = {
  resource: 'prismapplications',
  singularName: 'prismapplication',
  kind: 'PrismApplication',
  shortNames: ['papp'],
  categories: ['prism'],
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  description:
    'PrismApplication is a kAppNav application (an app.k8s.io Application) with its computed kAppNav status, its components counted, and its action and section maps. Read-only.',
  properties: {
    spec: freeForm('The spec of the Application (componentKinds, selector, descriptor, ...), as stored.'),
    status: object('What kAppNav computes for the application.', {
      ...STATUS_FIELD_SCHEMAS,
      componentCount: integer(
        'How many resources are components of the application, nested applications included.',
      ),
      componentKinds: stringList(
        'The kinds components are looked for in, as Kind.group, after resolving componentKinds.',
      ),
      problems: PROBLEMS_SCHEMA,
      actionMap: freeForm(
        'The merged action map (url-actions, cmd-actions, function-actions, inputs, snippets, variables).',
      ),
      sectionMap: freeForm('The merged section map (sections and section-data) for the UI detail view.'),
    }),
  },
  columns: [
    nameColumn(),
    statusColumn<PrismApplication>((a) => a.status),
    {
      name: 'Components',
      type: 'integer',
      format: '',
      description: 'The number of components.',
      priority: 0,
      cell: (a) => a.status.componentCount,
    },
    ageColumn(),
    {
      name: 'Kinds',
      type: 'string',
      format: '',
      description: 'The kinds components are looked for in.',
      priority: 1,
      cell: (a) => a.status.componentKinds.join(','),
    },
    flyoverColumn<PrismApplication>((a) => a.status),
  ],
  selectableFields: { 'status.value': (a) => a.status.value },
};

function prismApplication(view: ApplicationView): PrismApplication {
  const { object: source, application } = view;
  const metadata = source.metadata ?? {};
  return {
    apiVersion: PRISM_GROUP_VERSION,
    kind: APPLICATIONS.kind,
    metadata: {
      name: application.name,
      namespace: application.namespace,
      ...(metadata.uid ? { uid: metadata.uid } : {}),
      ...(metadata.creationTimestamp ? { creationTimestamp: metadata.creationTimestamp } : {}),
      ...carriedMetadata(source),
    },
    spec: (source.spec ?? {}) as Record<string, unknown>,
    status: {
      ...statusFields(view.status),
      componentCount: view.components.length,
      componentKinds: application.componentKinds.map((type) => qualifiedKind(type.group, type.kind)),
      ...(application.problems.length > 0 ? { problems: [...application.problems] } : {}),
      actionMap: view.actions.map,
      sectionMap: view.sections,
    },
  };
}

/** Reading an application needs `list` on Applications in its namespace. */
export function applicationReadRequirement(namespace: string) {
  return { group: APPLICATION_TYPE.group, resource: APPLICATION_TYPE.resource, namespace };
}

export const applicationsProjection: Projection<PrismApplication> = {
  definition: APPLICATIONS,
  project: (view) =>
    view.applications
      .filter((a) => !a.application.hidden)
      .map((a) => withActionMapSource(prismApplication(a), () => view.actionsOf(a.object))),
  readRequirements: (a) => [applicationReadRequirement(a.metadata.namespace ?? '')],
};
