/**
 * `prismcomponents` (kind PrismComponent, short name `pcomp`): one object per component of an
 * application — every resource of the application's componentKinds, in its namespace and its
 * `kappnav.component.namespaces`, that its selector selects, nested applications included and the
 * application itself excluded — with the component's status and action and section maps.
 *
 * A component lives in its application's namespace and carries the label
 * `prism.kappnav.io/application=<application>`, so `kubectl get pcomp -n <ns> -l
 * prism.kappnav.io/application=<app>` lists one application's components. Its name is
 * `<application>.<kind>[.<group>].<name>` (a component in another namespace adds `.<namespace>`), like
 * kubectl's `deployment.apps/web`. A user sees a component only when they may list both the Applications
 * of the application's namespace and the component's own resource in the component's namespace.
 */
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { ActionMap } from '../../actions/action-map.ts';
import type { SectionMap } from '../../kam/section-map.ts';
import { PRISM_GROUP, PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import type { ComponentView, ModelView } from '../model/prism-model.ts';
import { withActionMapSource } from './translatable-action-map.ts';
import { freeForm, object, string } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import { ageColumn, nameColumn } from '../../../../aggregated-api/table/table.ts';
import { applicationReadRequirement } from './applications.ts';
import type { Projection } from './projected-resource.ts';
import {
  derivedUid,
  flyoverColumn,
  groupOf,
  objectReadRequirement,
  qualifiedKind,
  STATUS_FIELD_SCHEMAS,
  statusColumn,
  statusFields,
  type StatusFields,
} from './projection.ts';

const APPLICATION_LABEL = `${PRISM_GROUP}/application`;

/** The resource a prism object is about. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  /** The plural resource name, what RBAC rules name. */
  resource: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export interface PrismComponent extends KubeObject {
  metadata: ObjectMeta;
  spec: { application: string; component: ObjectReference };
  status: StatusFields & { actionMap: ActionMap; sectionMap: SectionMap };
}

export const REFERENCE_SCHEMA = object('The resource.', {
  apiVersion: string('APIVersion of the resource.'),
  kind: string('Kind of the resource.'),
  resource: string('Plural resource name of the kind.'),
  namespace: string('Namespace of the resource; empty for cluster-scoped resources.'),
  name: string('Name of the resource.'),
  uid: string('UID of the resource.'),
});

/** `namespace/name`, or `name` for a cluster-scoped resource. */
function referenceText(reference: ObjectReference): string {
  return reference.namespace ? `${reference.namespace}/${reference.name}` : reference.name;
}

export const COMPONENTS: ResourceDefinition<PrismComponent> = {
  resource: 'prismcomponents',
  singularName: 'prismcomponent',
  kind: 'PrismComponent',
  shortNames: ['pcomp'],
  categories: ['prism'],
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  description: `PrismComponent is one component of a kAppNav application, with its computed kAppNav status and its action and section maps. It lives in the application's namespace and is labelled ${APPLICATION_LABEL}=<application>. Read-only.`,
  properties: {
    spec: object('Which application and which resource.', {
      application: string('Name of the application (in the same namespace).'),
      component: REFERENCE_SCHEMA,
    }),
    status: object('What kAppNav computes for the component.', {
      ...STATUS_FIELD_SCHEMAS,
      actionMap: freeForm('The merged action map of the component.'),
      sectionMap: freeForm('The merged section map of the component.'),
    }),
  },
  columns: [
    nameColumn(),
    {
      name: 'Kind',
      type: 'string',
      format: '',
      description: 'Kind.group of the component.',
      priority: 0,
      cell: (c) => qualifiedKind(groupOf(c.spec.component), c.spec.component.kind),
    },
    {
      name: 'Component',
      type: 'string',
      format: '',
      description: 'Namespace and name of the component.',
      priority: 0,
      cell: (c) => referenceText(c.spec.component),
    },
    statusColumn<PrismComponent>((c) => c.status),
    ageColumn(),
    {
      name: 'Application',
      type: 'string',
      format: '',
      description: 'The application the component belongs to.',
      priority: 1,
      cell: (c) => c.spec.application,
    },
    flyoverColumn<PrismComponent>((c) => c.status),
  ],
  selectableFields: {
    'spec.application': (c) => c.spec.application,
    'spec.component.kind': (c) => c.spec.component.kind,
    'spec.component.name': (c) => c.spec.component.name,
    'spec.component.namespace': (c) => c.spec.component.namespace ?? '',
    'status.value': (c) => c.status.value,
  },
};

function componentName(view: ComponentView): string {
  const { object } = view;
  const group = groupOf(object);
  const kind = `${(object.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}`;
  const namespace = object.metadata?.namespace;
  const elsewhere = namespace && namespace !== view.application.namespace ? `.${namespace}` : '';
  return `${view.application.name}.${kind}.${object.metadata?.name ?? ''}${elsewhere}`;
}

function prismComponent(view: ComponentView, name = componentName(view)): PrismComponent {
  const { object, application, type } = view;
  const { namespace, name: objectName = '', uid, creationTimestamp } = object.metadata ?? {};
  return {
    apiVersion: PRISM_GROUP_VERSION,
    kind: COMPONENTS.kind,
    metadata: {
      name,
      namespace: application.namespace,
      uid: derivedUid(application.object.metadata?.uid ?? application.name, uid ?? name),
      ...(creationTimestamp ? { creationTimestamp } : {}),
      labels: { [APPLICATION_LABEL]: application.name },
    },
    spec: {
      application: application.name,
      component: {
        apiVersion: object.apiVersion ?? '',
        kind: object.kind ?? '',
        resource: type.resource,
        ...(namespace ? { namespace } : {}),
        name: objectName,
        ...(uid ? { uid } : {}),
      },
    },
    status: { ...statusFields(view.status), actionMap: view.actions.map, sectionMap: view.sections },
  };
}

/** Every component of every visible application; a name two components would share gets a uid suffix. */
function projectComponents(view: ModelView): PrismComponent[] {
  const components: PrismComponent[] = [];
  const taken = new Set<string>();
  for (const application of view.applications) {
    if (application.application.hidden) continue;
    for (const component of application.components) {
      let name = componentName(component);
      const key = `${application.application.namespace}/${name}`;
      if (taken.has(key)) name = `${name}.${(component.object.metadata?.uid ?? '').slice(0, 8)}`;
      taken.add(`${application.application.namespace}/${name}`);
      components.push(
        withActionMapSource(prismComponent(component, name), () => view.actionsOf(component.object)),
      );
    }
  }
  return components;
}

/** Reading a resource's prism view needs `list` on its resource where it lives. */
export function referenceReadRequirement(reference: ObjectReference): ReadRequirement {
  return objectReadRequirement(
    {
      group: groupOf(reference),
      resource: reference.resource,
      namespaced: reference.namespace !== undefined,
    },
    reference.namespace,
  );
}

export const componentsProjection: Projection<PrismComponent> = {
  definition: COMPONENTS,
  project: projectComponents,
  readRequirements: (c) => [
    applicationReadRequirement(c.metadata.namespace ?? ''),
    referenceReadRequirement(c.spec.component),
  ],
};
