/**
 * What resolving a pattern and running a command need (kappnav-prism.md §3.6, §5), and the two rules every
 * such request follows:
 *
 * - the resource a request names is read with prismgate's identity only after the user was found allowed
 *   to `get` it (SubjectAccessReview), so the API never shows more than kube-apiserver would;
 * - everything a pattern function reads (`kubectlGet`, `podlist`, …) is read as the user
 *   (`AuthorizedResourceReader`), and a read the user may not make answers 403.
 *
 * `builtin` and global maps of the kappnav namespace are read without a check: they are kAppNav's
 * configuration for its UI users (console URLs), as in the reference.
 */
import type { KubeClient } from '../../../../pkg/kube/kube-client.ts';
import type { ResourceType } from '../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ScriptRunner } from '../../../../pkg/sandbox/script-sandbox.ts';
import type { ResolutionServices } from '../../actions/pattern/language/resolution-context.ts';
import type { ResourceReader } from '../../actions/resource-reader.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import type { Reviewer } from '../../../../server/delegated-auth/access-review.ts';
import { AuthorizedResourceReader } from './authorized-resource-reader.ts';
import type { ReadAccess } from '../../../../aggregated-api/authz/read-access.ts';
import { forbidden } from '../../../../server/delegated-auth/access-review.ts';
import type { KappnavSource } from '../../cluster/kappnav-source.ts';
import type { TrustGuard } from '../../cluster/trust-guard.ts';
import { servedType, type KindDiscovery, type ObjectReader } from '../../cluster/object-reader.ts';
import type { PrismModel } from '../model/prism-model.ts';
import { TargetError } from './action-errors.ts';

export interface ActionDependencies {
  model: Pick<PrismModel, 'mapsOf' | 'current'>;
  cluster: KappnavSource;
  discovery: KindDiscovery;
  /** Reads a named resource (from the watch cache when its kind is watched). */
  reader: ObjectReader;
  /** What pattern functions read, as prismgate. */
  resources: ResourceReader;
  access: ReadAccess;
  reviewer: Reviewer;
  sandbox: ScriptRunner;
  /** Creates and deletes command Jobs: as prismgate, or as the requesting user (impersonation.ts). */
  client: Pick<KubeClient, 'request'>;
  /** Which maps' commands run as kappnav-sa (commands/command-trust.ts). */
  trust: Pick<TrustGuard, 'policy'>;
}

/** A resource as a request names it; the kind alone is enough when one group serves it. */
export interface ResourceReference {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface NamedResource {
  type: ResourceType;
  object: KubeObject;
}

/** `namespace/name`, or `name` for a cluster-scoped resource. */
export function objectText(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The resource `reference` names, once the user may `get` it; `field` is the request field naming it. */
export async function readNamedResource(
  deps: ActionDependencies,
  user: User,
  reference: ResourceReference,
  field: string,
): Promise<NamedResource> {
  const type = servedType(deps.discovery, reference.kind, reference.apiVersion || undefined);
  if (!type)
    throw new TargetError(
      'invalid',
      `${field}.kind`,
      `resource kind ${reference.kind}${reference.apiVersion ? ` in ${reference.apiVersion}` : ''} is Not Found`,
    );
  if (type.namespaced && !reference.namespace)
    throw new TargetError(
      'invalid',
      `${field}.namespace`,
      `${type.kind} is namespaced: a namespace is required`,
    );
  const namespace = type.namespaced ? reference.namespace : undefined;
  const denial = await deps.access.denial(user, [
    { group: type.group, resource: type.resource, namespace, name: reference.name },
  ]);
  if (denial) throw forbidden(user.name, { resource: denial.attributes }, denial.reason);
  const object = await deps.reader.read(type, namespace, reference.name);
  if (!object)
    throw new TargetError(
      'not-found',
      `${field}.name`,
      `${type.kind} ${objectText(namespace, reference.name)} is Not Found`,
    );
  return { type, object };
}

/** Runs `work` with resolution services that read as `user`; a read the user may not make answers 403. */
export async function asUser<T>(
  deps: ActionDependencies,
  user: User,
  work: (services: ResolutionServices) => Promise<T>,
): Promise<T> {
  const resources = new AuthorizedResourceReader(deps.resources, deps.access, user);
  try {
    return await work({
      configMaps: deps.cluster,
      resources,
      // Snippets queue per user, and users are served in turn (pkg/sandbox/script-sandbox.ts).
      scripts: { call: (call) => deps.sandbox.call({ ...call, caller: user.name }) },
      kappnavNamespace: deps.cluster.kappnavNamespace,
    });
  } catch (error) {
    const [denial] = resources.denials;
    if (denial) throw forbidden(user.name, { resource: denial.attributes }, denial.reason);
    throw error;
  }
}
