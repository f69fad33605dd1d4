/**
 * `mappingpreviews` (kind MappingPreview, create-only): the KindActionMapping preview of the seed's
 * `GET /kindactionmapping/{kind}` (kappnav-prism.md §1.4.7): for a resource described by its identity
 * alone (apiVersion, kind, name, subkind, namespace, owner), the candidate config maps of one map type in
 * hierarchy order and the map they yield. Nothing needs to exist: it answers "which maps would a resource
 * like this get?".
 *
 * The answer shows the content of config maps, so the caller must be allowed to `get` each config map the
 * answer is made of (403 naming the first that is not), those of the kappnav namespace aside: they are
 * kAppNav's configuration for every UI user, which every action map shows anyway (action-context.ts).
 */
import { CORE_TYPES } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import type { JsonObject } from '../../../../pkg/json/json-value.ts';
import { isMapType, MAP_TYPES, type MapType } from '../../kam/kind-action-mapping.ts';
import { previewMaps } from '../../actions/map-preview.ts';
import { mappingSubjectOf, SUBKIND_ANNOTATION } from '../../kam/mapping-subject.ts';
import { PRISM_GROUP, PRISM_GROUP_VERSION } from '../api-group.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type { ReadAccess } from '../../../../aggregated-api/authz/read-access.ts';
import { forbidden } from '../../../../server/delegated-auth/access-review.ts';
import type { KappnavSource } from '../../cluster/kappnav-source.ts';
import { freeForm, object, string, stringList } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
} from '../../../../aggregated-api/resource/served-resource.ts';
import { invalid } from '../../../../server/api-error.ts';
import { notSupported, required, typeInvalid } from '../../../../pkg/validation/field-errors.ts';
import { nameColumn } from '../../../../aggregated-api/table/table.ts';
import type { Cause } from './request-fields.ts';

export interface PreviewSubject {
  apiVersion?: string;
  kind: string;
  name?: string;
  subkind?: string;
  namespace?: string;
  owner?: { apiVersion?: string; kind?: string; uid?: string };
}

export interface MappingPreview extends KubeObject {
  metadata: ObjectMeta;
  spec: { type: MapType; resource: PreviewSubject };
  status?: { candidateMaps: string[]; map: JsonObject | null };
}

export const MAPPING_PREVIEWS: ResourceDefinition<MappingPreview> = {
  resource: 'mappingpreviews',
  singularName: 'mappingpreview',
  kind: 'MappingPreview',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  description:
    'MappingPreview shows which action, status or section config maps the KindActionMappings give a resource described by its identity, and the map they yield. Create-only.',
  properties: {
    spec: object('What to preview.', {
      type: {
        type: 'string',
        enum: [...MAP_TYPES],
        description: 'The map type: actions (the default), status-mapping or sections.',
      },
      resource: object('The resource, by identity; nothing needs to exist.', {
        apiVersion: string('APIVersion (group/version, or v1 for the core group); v1 when empty.'),
        kind: string('Kind (case-sensitive, as KindActionMapping rules compare it).'),
        name: string('Name.'),
        subkind: string('The kappnav.subkind annotation.'),
        namespace: string('Namespace; default when empty.'),
        owner: object('An owner reference.', {
          apiVersion: string('APIVersion of the owner.'),
          kind: string('Kind of the owner.'),
          uid: string('UID of the owner.'),
        }),
      }),
    }),
    status: object('The preview.', {
      candidateMaps: stringList('Candidate config maps as <name>@<namespace>, in hierarchy order.'),
      map: freeForm('The merged map (the first found, for status-mapping); null when no candidate exists.'),
    }),
  },
  columns: [nameColumn()],
  selectableFields: {},
};

function readSpec(body: KubeObject, kind: string): MappingPreview['spec'] {
  const spec = (body['spec'] ?? {}) as { type?: unknown; resource?: Record<string, unknown> };
  const causes: Cause[] = [];
  const type = spec.type ?? 'actions';
  if (!isMapType(type)) causes.push(notSupported('spec.type', type, MAP_TYPES));
  const resource = spec.resource ?? {};
  if (typeof resource['kind'] !== 'string' || resource['kind'] === '')
    causes.push(required('spec.resource.kind'));
  for (const field of ['apiVersion', 'name', 'subkind', 'namespace'])
    if (resource[field] !== undefined && typeof resource[field] !== 'string')
      causes.push(typeInvalid(`spec.resource.${field}`, resource[field], 'must be a string'));
  if (causes.length > 0 || !isMapType(type))
    throw invalid({ group: PRISM_GROUP, kind }, body.metadata?.name ?? '', causes);
  return { type, resource: resource as unknown as PreviewSubject };
}

/** The synthetic resource the seed's preview built from its query parameters. */
export function previewResource(subject: PreviewSubject): KubeObject {
  const { owner } = subject;
  const hasOwner = owner && (owner.apiVersion || owner.kind || owner.uid);
  return {
    apiVersion: subject.apiVersion || 'v1',
    kind: subject.kind,
    metadata: {
      ...(subject.name ? { name: subject.name } : {}),
      ...(subject.namespace ? { namespace: subject.namespace } : {}),
      ...(subject.subkind ? { annotations: { [SUBKIND_ANNOTATION]: subject.subkind } } : {}),
      ...(hasOwner
        ? {
            ownerReferences: [
              { apiVersion: owner.apiVersion ?? '', kind: owner.kind ?? '', uid: owner.uid ?? '', name: '' },
            ],
          }
        : {}),
    },
  };
}

/** The preview for a resource (live, or built by `previewResource`), once the user may `get` every config map it shows. */
export async function mappingPreview(
  cluster: KappnavSource,
  access: ReadAccess,
  user: User,
  type: MapType,
  resource: KubeObject,
): Promise<{ candidateMaps: string[]; map: JsonObject | null }> {
  const preview = previewMaps(mappingSubjectOf(resource), type, cluster.kindActionMappings(), cluster);
  const shown = preview.candidates.filter(
    (c) => c.namespace !== cluster.kappnavNamespace && cluster.getConfigMap(c.namespace, c.name),
  );
  const denial = await access.denial(
    user,
    shown.map((c) => ({
      group: CORE_TYPES.configMaps.group,
      resource: CORE_TYPES.configMaps.resource,
      namespace: c.namespace,
      name: c.name,
    })),
  );
  if (denial) throw forbidden(user.name, { resource: denial.attributes }, denial.reason);
  return { candidateMaps: preview.candidates.map((c) => `${c.name}@${c.namespace}`), map: preview.map };
}

export class MappingPreviews implements CreatableResource<MappingPreview> {
  constructor(
    private readonly cluster: KappnavSource,
    private readonly access: ReadAccess,
    /** MAPPING_PREVIEWS, or its namespaced variant (local-variants.ts). */
    readonly definition: ResourceDefinition<MappingPreview> = MAPPING_PREVIEWS,
  ) {}

  async create(request: CreateRequest): Promise<MappingPreview> {
    const spec = readSpec(request.body, this.definition.kind);
    return {
      apiVersion: PRISM_GROUP_VERSION,
      kind: this.definition.kind,
      metadata: { ...(request.body.metadata ?? {}), creationTimestamp: request.creationTimestamp },
      spec,
      status: await mappingPreview(
        this.cluster,
        this.access,
        request.user,
        spec.type,
        previewResource(spec.resource),
      ),
    };
  }
}
