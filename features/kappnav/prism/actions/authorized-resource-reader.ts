/**
 * A ResourceReader that reads only what the requesting user may read. Pattern functions (`kubectlGet`,
 * `podlist`, …) run with prismgate's identity, which may read far more than the user who asked; every get
 * is checked as `get` of that object and every list as `list` in its namespace (cluster-wide when it has
 * none), by SubjectAccessReview for the user. A denied read fails like any failed read, so the function
 * reports it, and the denial is kept so that the request can answer 403 instead of a pattern error.
 */
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ListOptions, ResourceReader } from '../../actions/resource-reader.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type {
  ReadAccess,
  ReadDenial,
  ReadRequirement,
} from '../../../../aggregated-api/authz/read-access.ts';
import { forbidden } from '../../../../server/delegated-auth/access-review.ts';

export class AuthorizedResourceReader implements ResourceReader {
  /** Reads refused so far, in order. */
  readonly denials: ReadDenial[] = [];

  constructor(
    private readonly inner: ResourceReader,
    private readonly access: ReadAccess,
    private readonly user: User,
  ) {}

  resolveType(name: string): Promise<ResourceType | undefined> {
    return this.inner.resolveType(name);
  }

  async get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    await this.require({
      group: type.group,
      resource: type.resource,
      ...(type.namespaced && namespace ? { namespace } : {}),
      name,
    });
    return this.inner.get(type, namespace, name);
  }

  async list(type: ResourceType, options: ListOptions): Promise<KubeObject[]> {
    await this.require({
      group: type.group,
      resource: type.resource,
      ...(type.namespaced && options.namespace ? { namespace: options.namespace } : {}),
    });
    return this.inner.list(type, options);
  }

  private async require(requirement: ReadRequirement): Promise<void> {
    const denial = await this.access.denial(this.user, [requirement]);
    if (!denial) return;
    this.denials.push(denial);
    throw forbidden(this.user.name, { resource: denial.attributes }, denial.reason);
  }
}
