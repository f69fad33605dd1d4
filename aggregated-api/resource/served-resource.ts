/**
 * A resource at run time: a readable one is served from its store and shows a user only the objects whose
 * underlying resources the user may read; a creatable one (create-only, like SubjectAccessReview) computes
 * an answer per request.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { User } from '../../server/delegated-auth/user.ts';
import type { ReadRequirement } from '../authz/read-access.ts';
import type { ObjectStore } from '../store/versioned-store.ts';
import type { ObjectReader, ResourceDefinition } from './resource-definition.ts';

export interface ReadableResource<T extends KubeObject = KubeObject> {
  definition: ResourceDefinition<T>;
  store: ObjectStore<T>;
  /**
   * The permissions on underlying resources that `object` shows; the user must hold all of them. Most
   * resources ignore `user`; one whose objects belong to users (command Jobs) asks less of their owner.
   */
  readRequirements(object: T, user: User): ReadRequirement[];
  /** Why the data may be out of date right now (one sentence each, sent as Warning headers). */
  staleness(): string[];
  /** An object the store does not keep, computed on demand (get only). */
  lookup?(namespace: string | undefined, name: string): Promise<T | undefined>;
  /**
   * A filter from query parameters of the resource's own (besides the selectors), for list and watch;
   * throws an ApiError for a malformed value.
   */
  queryFilter?(query: Readonly<Record<string, unknown>>): ObjectReader<T, boolean> | undefined;
  /**
   * Deletes an object the user may see (resources whose verbs include `delete`); the machinery has
   * checked the DeleteOptions and preconditions and answers the Status.
   */
  delete?(request: DeleteRequest<T>): Promise<void>;
}

export interface DeleteRequest<T extends KubeObject> {
  /** The stored object, already checked against the user's read requirements. */
  object: T;
  user: User;
  dryRun: boolean;
  /** As the client asked; the resource's own default otherwise. */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

export interface CreateRequest {
  body: KubeObject;
  /** The path's namespace, for namespaced resources (the body's, when given, equals it). */
  namespace?: string;
  user: User;
  /** `?dryRun=All`: compute, but change nothing. */
  dryRun: boolean;
  /** Sentences for Warning headers. */
  warnings: string[];
  /** Now, as the object's creationTimestamp (Kubernetes' form: whole seconds). */
  creationTimestamp: string;
}

export interface CreatableResource<T extends KubeObject = KubeObject> {
  definition: ResourceDefinition<T>;
  create(request: CreateRequest): Promise<T>;
}

export type ServedResource = ReadableResource | CreatableResource;

/** Readable resources are the ones that declare `list`; the others are create-only. */
export function isReadable(resource: ServedResource): resource is ReadableResource {
  return resource.definition.verbs.includes('list');
}
