/**
 * A kAppNav Application (`app.k8s.io/v1beta1`) as the status engine and the components listing read it,
 * and which resources are its components (kappnav-prism.md §2.1-§2.6).
 *
 * A resource R is a component of application A when:
 * 1. A is in the `app-namespaces` frontier, and R is cluster-scoped, or R's namespace is A's own or one of
 *    A's `kappnav.component.namespaces` that the frontier permits;
 * 2. R is not A itself;
 * 3. R's group and kind are one of A's componentKinds (resolved against the cluster);
 * 4. R's labels match A's selector, Kubernetes semantics, and an empty selector selects nothing.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import { CORE_TYPES, parseApiVersion } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { readLabelSelector } from '../../../pkg/labels/label-selector.ts';
import type { Requirement } from '../../../pkg/labels/requirement.ts';
import { selects } from '../../../pkg/labels/requirement.ts';
import type { KappnavConfig } from './config.ts';
import { isNamespacePermitted } from './config.ts';
import type { ResourceRegistry } from './component-kinds.ts';
import { normalizeComponentKinds } from './component-kinds.ts';
import { parseNamespaceList } from './namespace-list.ts';

export const APPLICATION_TYPE = CORE_TYPES.applications;
export const COMPONENT_NAMESPACES_ANNOTATION = 'kappnav.component.namespaces';
export const HIDDEN_ANNOTATION = 'kappnav.application.hidden';

export interface Application {
  readonly object: KubeObject;
  readonly namespace: string;
  readonly name: string;
  /** Whether the `app-namespaces` frontier permits the application's namespace; if not, it has no components. */
  readonly inScope: boolean;
  readonly componentKinds: readonly ResourceType[];
  readonly selector: readonly Requirement[];
  /** Where namespaced components may be: the application's namespace and the permitted annotated ones. */
  readonly componentNamespaces: ReadonlySet<string>;
  readonly hidden: boolean;
  /** One sentence per part of the application that was ignored, for the caller to log once. */
  readonly problems: readonly string[];
}

export function isApplication(object: KubeObject): boolean {
  return (
    object.kind === APPLICATION_TYPE.kind &&
    parseApiVersion(object.apiVersion ?? '').group === APPLICATION_TYPE.group
  );
}

/**
 * QUIRK fixed: kAppNav's Java API hid an application whenever the annotation was present, so `"false"`
 * hid it too. The design documents `"true"`; we hide only on `true` (any case, surrounding space ignored).
 */
export function isHiddenApplication(object: KubeObject): boolean {
  return object.metadata?.annotations?.[HIDDEN_ANNOTATION]?.trim().toLowerCase() === 'true';
}

/** Same group, kind, namespace and name. (QUIRK fixed: the Go controller did not compare namespaces.) */
function isSameObject(a: KubeObject, b: KubeObject): boolean {
  return (
    a.kind === b.kind &&
    parseApiVersion(a.apiVersion ?? '').group === parseApiVersion(b.apiVersion ?? '').group &&
    a.metadata?.namespace === b.metadata?.namespace &&
    a.metadata?.name === b.metadata?.name
  );
}

function readComponentNamespaces(
  own: string,
  annotation: string | undefined,
  config: Pick<KappnavConfig, 'appNamespaces'>,
  problems: string[],
): Set<string> {
  const result = new Set([own]);
  const { namespaces, invalid } = parseNamespaceList(annotation ?? '');
  for (const name of invalid)
    problems.push(
      `${COMPONENT_NAMESPACES_ANNOTATION}: ${JSON.stringify(name)} is not a namespace name; it is ignored`,
    );
  for (const name of namespaces) {
    if (isNamespacePermitted(config, name)) result.add(name);
    else
      problems.push(
        `${COMPONENT_NAMESPACES_ANNOTATION}: namespace ${name} is outside app-namespaces; it is ignored`,
      );
  }
  return result;
}

/** Reads `object` (an Application) against the served types and the configuration. */
export function readApplication(
  object: KubeObject,
  registry: ResourceRegistry,
  config: Pick<KappnavConfig, 'appNamespaces'>,
): Application {
  const namespace = object.metadata?.namespace ?? '';
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const kinds = normalizeComponentKinds(spec.componentKinds, registry);
  const selector = readLabelSelector(spec.selector);
  const problems = [...kinds.dropped, ...selector.dropped.map((d) => `selector: ${d}`)];
  const inScope = isNamespacePermitted(config, namespace);
  const annotation = object.metadata?.annotations?.[COMPONENT_NAMESPACES_ANNOTATION];
  return {
    object,
    namespace,
    name: object.metadata?.name ?? '',
    inScope,
    componentKinds: kinds.types,
    selector: selector.requirements,
    componentNamespaces: inScope
      ? readComponentNamespaces(namespace, annotation, config, problems)
      : new Set(),
    hidden: isHiddenApplication(object),
    problems,
  };
}

export function isComponentOf(application: Application, resource: KubeObject): boolean {
  if (!application.inScope) return false;
  const { group } = parseApiVersion(resource.apiVersion ?? '');
  const type = application.componentKinds.find((t) => t.group === group && t.kind === resource.kind);
  if (!type) return false;
  if (type.namespaced && !application.componentNamespaces.has(resource.metadata?.namespace ?? ''))
    return false;
  if (isSameObject(application.object, resource)) return false;
  return selects(application.selector, resource.metadata?.labels, 'selects-nothing');
}
