/**
 * A get (or delete) of a prism object by name is authorized by what the object would show, before
 * anything is looked up (issue 15, finding 6), as kube-apiserver authorizes before it reads: a user who
 * may not read the resource behind a name gets 403 whether that resource exists or not. Before, the
 * object was looked up first and then checked, so `kubectl get rstatus secret:<name>` answered 403 for a
 * Secret that exists and 404 for one that does not, and a `view` user enumerated Secret names.
 *
 * The check runs in the request's authorize step, as a reviewer around the delegated one: after the
 * native verb (`get resourcestatuses`) is allowed, the requirements the name implies must be met too.
 * What a name implies, per resource:
 *
 * - an object stored (applications, components, namespaces, commands): its own read requirements;
 * - one that is not stored: what any object of that name would need — for a component name, `list`
 *   cluster-wide of every kind the name may spell (it does not say in which namespace), which is as much
 *   as or more than any such component needs, so a miss is never 404 to whom a hit would be 403;
 * - ResourceStatus and ActionMap (`<kind>[.<group>]:<name>`, computed on demand for any resource): `get`
 *   of the named resource, as `kubectl get` of it needs; then, as for listing, `list` in its namespace.
 */
import type { ApiDiscovery } from '../../../../pkg/kube/api-discovery.ts';
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type {
  AccessAttributes,
  AccessDecision,
  Reviewer,
} from '../../../../server/delegated-auth/access-review.ts';
import type { ReadAccess, ReadRequirement } from '../../../../aggregated-api/authz/read-access.ts';
import { forbidden } from '../../../../server/delegated-auth/access-review.ts';
import type { ReadableResource } from '../../../../aggregated-api/resource/served-resource.ts';
import { commandJobsRequirement } from '../actions/command-jobs.ts';
import { PRISM_GROUP } from '../api-group.ts';
import type { ApplicationView } from '../model/prism-model.ts';
import { applicationReadRequirement } from './applications.ts';
import { namespaceReadRequirement } from './namespaces.ts';
import { parseQualifiedName } from './resource-names.ts';
import { qualifiedKind } from './projection.ts';

/** What a get of one name of a resource needs, the same whether the object exists or not. */
export interface NameGuard {
  resource: string;
  requirements(namespace: string | undefined, name: string, user: User): ReadRequirement[];
}

/** A stored object's own requirements; `missing` for a name nothing is stored under. */
export function storedOrNamed<T extends KubeObject>(
  resource: ReadableResource<T>,
  missing: (namespace: string | undefined, name: string) => ReadRequirement[],
): NameGuard {
  return {
    resource: resource.definition.resource,
    requirements(namespace, name, user) {
      const stored = resource.store.get(namespace, name);
      return stored ? resource.readRequirements(stored, user) : missing(namespace, name);
    },
  };
}

/** `get` of the resource a qualified name (`secret:db-password`) names; nothing for a name naming none. */
export function qualifiedNameRequirements(
  discovery: Pick<ApiDiscovery, 'all'>,
  namespace: string | undefined,
  name: string,
): ReadRequirement[] {
  const named = parseQualifiedName(discovery, name);
  if (!named || namespace === undefined) return [];
  return [{ group: named.type.group, resource: named.type.resource, namespace, name: named.name }];
}

/**
 * What any component named `name` in `namespace` would need: `list` of the Applications there, and
 * `list` cluster-wide of each kind the name may spell after an application's name
 * (`<application>.<kind>[.<group>].<name>[.<namespace>]`).
 */
export function componentNameRequirements(
  applications: readonly Pick<ApplicationView, 'application'>[],
  types: readonly ResourceType[],
  namespace: string | undefined,
  name: string,
): ReadRequirement[] {
  const requirements = new Map<string, ReadRequirement>();
  const add = (requirement: ReadRequirement) => requirements.set(JSON.stringify(requirement), requirement);
  add(applicationReadRequirement(namespace ?? ''));
  for (const { application } of applications) {
    if (application.namespace !== namespace || !name.startsWith(`${application.name}.`)) continue;
    const rest = name.slice(application.name.length + 1);
    for (const type of types)
      if (rest.startsWith(`${qualifiedKind(type.group, type.kind.toLowerCase())}.`))
        add({ group: type.group, resource: type.resource });
  }
  return [...requirements.values()];
}

/** The served readable resources, by what they are. */
export interface PrismReadables {
  applications: ReadableResource;
  components: ReadableResource;
  namespaces: ReadableResource;
  statuses: ReadableResource;
  actionMaps: ReadableResource;
  commands: ReadableResource;
}

/** The guard of every readable prism resource. */
export function prismNameGuards(options: {
  resources: PrismReadables;
  applications: () => readonly Pick<ApplicationView, 'application'>[];
  discovery: Pick<ApiDiscovery, 'all'>;
  kappnavNamespace: string;
}): NameGuard[] {
  const { resources, discovery } = options;
  const named = (resource: ReadableResource): NameGuard => ({
    resource: resource.definition.resource,
    requirements: (namespace, name) => qualifiedNameRequirements(discovery, namespace, name),
  });
  return [
    {
      resource: resources.applications.definition.resource,
      requirements: (namespace) => [applicationReadRequirement(namespace ?? '')],
    },
    {
      resource: resources.namespaces.definition.resource,
      requirements: (_namespace, name) => [namespaceReadRequirement(name)],
    },
    storedOrNamed(resources.components, (namespace, name) =>
      componentNameRequirements(options.applications(), discovery.all(), namespace, name),
    ),
    named(resources.statuses),
    named(resources.actionMaps),
    // A command name no Job carries: what seeing the commands of the kappnav namespace takes.
    storedOrNamed(resources.commands, () => [commandJobsRequirement(options.kappnavNamespace)]),
  ];
}

const GUARDED_VERBS = new Set(['get', 'delete']);

/** The delegated reviewer, with the requirements of a name added to gets and deletes of prism objects. */
export class NameAuthorizer implements Reviewer {
  private readonly guards: ReadonlyMap<string, NameGuard>;

  constructor(
    private readonly delegate: Reviewer,
    /** Reads as the delegate decides (never through this reviewer). */
    private readonly access: ReadAccess,
    guards: readonly NameGuard[],
  ) {
    this.guards = new Map(guards.map((guard) => [guard.resource, guard]));
  }

  async review(user: User, attributes: AccessAttributes): Promise<AccessDecision> {
    const decision = await this.delegate.review(user, attributes);
    if (!decision.allowed || !('resource' in attributes)) return decision;
    const { group, resource, subresource, verb, namespace, name } = attributes.resource;
    const guard =
      group === PRISM_GROUP && !subresource && name && GUARDED_VERBS.has(verb)
        ? this.guards.get(resource)
        : undefined;
    if (!guard || !name) return decision;
    const denial = await this.access.denial(user, guard.requirements(namespace, name, user));
    if (!denial) return decision;
    // kube-apiserver's sentence for the underlying permission, without its "<resource> is forbidden: ".
    const underlying = forbidden(user.name, { resource: denial.attributes }, denial.reason).message;
    const sentence = underlying.slice(underlying.indexOf(' is forbidden: ') + ' is forbidden: '.length);
    return { allowed: false, reason: `the object shows what the user may not read: ${sentence}` };
  }
}
