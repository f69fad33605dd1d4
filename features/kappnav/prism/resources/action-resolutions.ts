/**
 * `actionresolutions` (kind ActionResolution, create-only like SubjectAccessReview): resolves an action
 * pattern against a resource (kappnav-prism.md §1.4.3, §3.6), the seed's
 * `GET /resource/{name}/{kind}?action-pattern=`. `kubectl create -f resolve.yaml -o yaml` answers with the
 * resolved string in `status.action`.
 *
 * The caller must be allowed to `get` the resource, and every read a pattern function makes is checked
 * for the caller (403 otherwise). Every pattern error, a token without a resolver prefix included, is 422
 * naming the token on `spec.pattern`.
 */
import type { KubeObject, ObjectMeta } from '../../../../pkg/kube/types.ts';
import { PRISM_GROUP_VERSION } from '../api-group.ts';
import type { ResourceReference } from '../actions/action-context.ts';
import { nativeError } from '../actions/action-errors.ts';
import type { PatternResolution } from '../actions/pattern-resolution.ts';
import { object, string } from '../../../../aggregated-api/resource/json-schema.ts';
import type { ResourceDefinition } from '../../../../aggregated-api/resource/resource-definition.ts';
import type {
  CreatableResource,
  CreateRequest,
} from '../../../../aggregated-api/resource/served-resource.ts';
import { invalid } from '../../../../server/api-error.ts';
import { nameColumn } from '../../../../aggregated-api/table/table.ts';
import {
  INPUT_SCHEMA,
  readInput,
  readReference,
  RESOURCE_REFERENCE_SCHEMA,
  type Cause,
} from './request-fields.ts';

export interface ActionResolution extends KubeObject {
  metadata: ObjectMeta;
  spec: { resource: ResourceReference; pattern: string; input?: Record<string, string> };
  status?: { action: string };
}

export const ACTION_RESOLUTIONS: ResourceDefinition<ActionResolution> = {
  resource: 'actionresolutions',
  singularName: 'actionresolution',
  kind: 'ActionResolution',
  shortNames: [],
  categories: [],
  namespaced: false,
  verbs: ['create'],
  description:
    'ActionResolution resolves a kAppNav action pattern (${resource.…}, ${builtin.…}, ${global.…}, ${func.…}, ${snippet.…}, ${input.…}, ${var.…}) against a resource and its action map. Create-only; the answer carries the resolved text in status.action.',
  properties: {
    spec: object('What to resolve.', {
      resource: RESOURCE_REFERENCE_SCHEMA,
      pattern: string("The action pattern, e.g. a url-pattern of the resource's action map."),
      input: INPUT_SCHEMA,
    }),
    status: object('The answer.', { action: string('The resolved pattern.') }),
  },
  columns: [nameColumn()],
  selectableFields: {},
};

export class ActionResolutions implements CreatableResource<ActionResolution> {
  readonly definition = ACTION_RESOLUTIONS;

  constructor(private readonly resolution: PatternResolution) {}

  async create(request: CreateRequest): Promise<ActionResolution> {
    const name = request.body.metadata?.name ?? '';
    const spec = (request.body['spec'] ?? {}) as Record<string, unknown>;
    const causes: Cause[] = [];
    const resource = readReference(spec['resource'], 'spec.resource', causes);
    if (typeof spec['pattern'] !== 'string')
      causes.push({ field: 'spec.pattern', message: 'Required value' });
    const input = readInput(spec['input'], 'spec.input', causes);
    if (causes.length > 0) throw invalid(ACTION_RESOLUTIONS.kind, name, causes);
    const pattern = spec['pattern'] as string;
    let action: string;
    try {
      action = await this.resolution.resolve(request.user, { resource, pattern, input });
    } catch (error) {
      throw nativeError(error, { kind: ACTION_RESOLUTIONS.kind, name, patternField: 'spec.pattern' });
    }
    return {
      apiVersion: PRISM_GROUP_VERSION,
      kind: ACTION_RESOLUTIONS.kind,
      metadata: { ...(request.body.metadata ?? {}), creationTimestamp: new Date().toISOString() },
      spec: { resource, pattern, ...(Object.keys(input).length > 0 ? { input } : {}) },
      status: { action },
    };
  }
}
