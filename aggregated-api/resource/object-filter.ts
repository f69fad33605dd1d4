/**
 * Which stored objects a request sees: the path's namespace, `labelSelector`, `fieldSelector`, the
 * resource's own query filter, and what the user may read of the underlying resources. The selectors are checked first because they cost nothing;
 * permissions may cost a SubjectAccessReview (cached).
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { selects } from '../../pkg/labels/requirement.ts';
import type { User } from '../../server/delegated-auth/user.ts';
import type { ReadAccess, ReadDenial } from '../authz/read-access.ts';
import { matchesFields } from '../request/field-selector.ts';
import type { ListOptions } from '../request/list-options.ts';
import { badRequest } from '../../server/api-error.ts';
import { fieldValues } from './resource-definition.ts';
import type { ReadableResource } from './served-resource.ts';

export class ObjectFilter<T extends KubeObject> {
  constructor(
    private readonly resource: ReadableResource<T>,
    private readonly options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
    /** The path's namespace; undefined across namespaces. */
    private readonly namespace: string | undefined,
    private readonly user: User,
    private readonly access: ReadAccess,
    /** The resource's own query filter (`ReadableResource.queryFilter`), if the request has one. */
    private readonly queried: ((object: T) => boolean) | undefined = undefined,
  ) {
    const known = new Set([
      'metadata.name',
      'metadata.namespace',
      ...Object.keys(resource.definition.selectableFields),
    ]);
    for (const { field } of options.fieldSelector)
      if (!known.has(field)) throw badRequest(`field label not supported: ${field}`);
  }

  /**
   * Whether the request narrows the list beyond its namespace (a label or field selector, or a query
   * filter of the resource): kube-apiserver counts the remaining objects of a page only without one.
   */
  hasSelectors(): boolean {
    return (
      this.options.labelSelector.length > 0 ||
      this.options.fieldSelector.length > 0 ||
      this.queried !== undefined
    );
  }

  /** Path namespace and selectors. */
  selects(object: T): boolean {
    if (this.namespace !== undefined && object.metadata?.namespace !== this.namespace) return false;
    if (!selects(this.options.labelSelector, object.metadata?.labels, 'selects-everything')) return false;
    if (this.queried && !this.queried(object)) return false;
    return matchesFields(this.options.fieldSelector, fieldValues(this.resource.definition, object));
  }

  /** Why the user may not see `object`, or undefined when they may. */
  denial(object: T): Promise<ReadDenial | undefined> {
    return this.access.denial(this.user, this.resource.readRequirements(object, this.user));
  }

  async admits(object: T): Promise<boolean> {
    return this.selects(object) && (await this.denial(object)) === undefined;
  }
}
