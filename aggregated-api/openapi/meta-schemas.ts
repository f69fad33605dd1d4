/**
 * The apimachinery definitions every kind refers to, under kube-apiserver's own names, so that
 * `kubectl explain <kind>.metadata` reads as it does for built-in kinds.
 */
import { freeForm, integer, object, string, stringList, type JsonSchema } from '../resource/json-schema.ts';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';

const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const stringMap = (description: string): JsonSchema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'string' },
});

export const META_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  [OBJECT_META]: object(
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    {
      name: string('Name must be unique within a namespace.'),
      generateName: string('An optional prefix, used by the server, to generate a unique name.'),
      namespace: string('Namespace defines the space within which each name must be unique.'),
      uid: string('UID is the unique in time and space value for this object.'),
      resourceVersion: string(
        'An opaque value that represents the internal version of this object; used for watches and optimistic concurrency.',
      ),
      generation: {
        type: 'integer',
        format: 'int64',
        description: 'A sequence number representing a specific generation of the desired state.',
      },
      creationTimestamp: time(
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      deletionTimestamp: time('The time at which this resource will be deleted.'),
      labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
      annotations: stringMap('Annotations is an unstructured key value map stored with a resource.'),
      ownerReferences: {
        type: 'array',
        description: 'List of objects depended by this object.',
        items: object('OwnerReference contains enough information to let you identify an owning object.', {
          apiVersion: string('API version of the referent.'),
          kind: string('Kind of the referent.'),
          name: string('Name of the referent.'),
          uid: string('UID of the referent.'),
          controller: {
            type: 'boolean',
            description: 'If true, this reference points to the managing controller.',
          },
          blockOwnerDeletion: {
            type: 'boolean',
            description: 'If true, the owner cannot be deleted before this object.',
          },
        }),
      },
      finalizers: stringList('Must be empty before the object is deleted from the registry.'),
    },
  ),
  [LIST_META]: object('ListMeta describes metadata that synthetic resources must have, including lists.', {
    resourceVersion: string("String that identifies the server's internal version of this object."),
    continue: string(
      'Set if the user should retrieve more results by repeating the request with this token.',
    ),
    remainingItemCount: {
      type: 'integer',
      format: 'int64',
      description: 'The number of subsequent items in the list.',
    },
  }),
  [STATUS]: object('Status is a return value for calls that do not return other objects.', {
    apiVersion: string('APIVersion of this representation of an object.'),
    kind: string('Kind of this representation of an object.'),
    status: string('Status of the operation. One of: "Success" or "Failure".'),
    message: string('A human-readable description of the status of this operation.'),
    reason: string('A machine-readable description of why this operation is in the "Failure" status.'),
    details: freeForm('Extended data associated with the reason.'),
    code: integer('Suggested HTTP return code for this status.'),
  }),
  [WATCH_EVENT]: {
    ...object('Event represents a single event to a watched resource.', {
      type: string('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
      object: freeForm('The object: the resource for ADDED/MODIFIED/DELETED, a Status for ERROR.'),
    }),
    required: ['type', 'object'],
  },
};
