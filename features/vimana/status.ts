/**
 * Computed status (vimana-invariants.md §3.3, §3.5): the derived fields prismgate's CRDs add to each
 * kind's status, and the `Available` condition the operator would set, judged from the cluster view.
 *
 * The API server drops status on CREATE and ignores it on UPDATE of the main resource (§3.0), so this is
 * written through the `status` subresource: by a reconciler, or by a mutating webhook on `<plural>/status`.
 */
import type { VimanaClusterView } from './cluster-view.ts';
import { readPath, readString, readStrings } from './fields.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { domainHostnames, reflectionMode, trafficPercent, versionWeights, weightOf } from './derived.ts';
import {
  canonicalHostname,
  componentName,
  deploymentName,
  gatewayName,
  listenerName,
  serverName,
  serviceName,
  tlsSecretName,
} from './names.ts';
import { parseImage } from './patterns.ts';
import { missingComponentVersions, serversOfComponent, serversOfDomain } from './relations.ts';
import type {
  ComponentStatus,
  Condition,
  DomainStatus,
  ServerStatus,
  VimanaKind,
  VimanaStatus,
} from './types.ts';

export type AvailableVerdict = Pick<Condition, 'status' | 'reason' | 'message'>;

/** A kind's derived status fields (everything but `conditions`) and its `Available` verdict. */
export interface ComputedStatus<T> {
  fields: Omit<T, 'conditions'>;
  available: AvailableVerdict;
}

const RECONCILING: AvailableVerdict = {
  status: 'Unknown',
  reason: 'Reconciling',
  message: 'Starting reconciliation',
};

function reconciled(kind: string): AvailableVerdict {
  return { status: 'True', reason: 'Reconciled', message: `Successfully reconciled ${kind}` };
}

function failed(reason: string, message: string): AvailableVerdict {
  return { status: 'False', reason, message };
}

export function vimanaStatus(
  vimana: unknown,
  namespace: string,
  view: VimanaClusterView,
): ComputedStatus<VimanaStatus> {
  const name = readString(vimana, 'metadata.name');
  const domains = view.domains(namespace);
  const fields: Omit<VimanaStatus, 'conditions'> = {
    ...(name !== undefined && { gatewayName: gatewayName(name) }),
    domainCount: domains.length,
    listeners: domains.flatMap(domainHostnames).map((hostname) => ({
      hostname,
      name: listenerName(hostname),
      secretName: tlsSecretName(hostname),
    })),
  };
  return { fields, available: vimanaAvailability(name, namespace, domains.length, view) };
}

/** The operator deletes the Gateway while the namespace has no Domains and stays Unknown (§3.1 quirk). */
function vimanaAvailability(
  name: string | undefined,
  namespace: string,
  domainCount: number,
  view: VimanaClusterView,
): AvailableVerdict {
  if (domainCount === 0)
    return {
      ...RECONCILING,
      message: 'Waiting for a Domain: the Gateway exists only while the namespace has Domains',
    };
  const gateway =
    name === undefined ? 'absent' : view.generatedState('Gateway', namespace, gatewayName(name));
  if (gateway === 'absent') return RECONCILING;
  return gateway === 'rejected'
    ? failed('GatewayUpsert', 'Failed to update Gateway for vimana')
    : reconciled('vimana');
}

export function domainStatus(
  domain: unknown,
  namespace: string,
  view: VimanaClusterView,
): ComputedStatus<DomainStatus> {
  const id = readString(domain, 'spec.id');
  const vimana = readString(domain, 'spec.vimana');
  const hostnames = domainHostnames(domain);
  const fields: Omit<DomainStatus, 'conditions'> = {
    ...(id && { canonicalHostname: canonicalHostname(id), routeName: id }),
    hostnames,
    ...(vimana && { gatewayRef: gatewayName(vimana) }),
    tlsSecretNames: hostnames.map(tlsSecretName),
    reflectionMode: reflectionMode(domain),
  };
  return { fields, available: domainAvailability(id, vimana, namespace, view) };
}

/** The operator's reasons, preceded by the causes prismgate can name (§3.3 "optional extra reasons"). */
function domainAvailability(
  id: string | undefined,
  vimana: string | undefined,
  namespace: string,
  view: VimanaClusterView,
): AvailableVerdict {
  if (!view.vimanas(namespace).some((candidate) => readString(candidate, 'metadata.name') === vimana))
    return failed(
      'VimanaNotFound',
      `Vimana ${JSON.stringify(vimana ?? '')} not found in namespace ${namespace}`,
    );
  const servers = id ? serversOfDomain(view.servers(namespace), id) : [];
  const conflict = firstSharedService(servers);
  if (conflict) return failed('ServiceConflict', conflict);
  const route = id ? view.generatedState('GRPCRoute', namespace, id) : 'absent';
  if (route === 'rejected') return failed('GRPCRouteUpsert', 'Failed to update GRPCRoute for domain');
  if (route !== 'accepted') return RECONCILING;
  const components = view.components(namespace);
  const unresolved = servers.flatMap((server) =>
    missingComponentVersions(server, components).map(
      (version) => `${readString(server, 'spec.id')}@${version}`,
    ),
  );
  if (unresolved.length > 0)
    return failed('UnresolvedBackends', `Weighted versions without a Component: ${unresolved.join(', ')}`);
  return reconciled('domain');
}

function firstSharedService(servers: readonly unknown[]): string | undefined {
  const servedBy = new Map<string, string | undefined>();
  for (const server of servers) {
    const id = readString(server, 'spec.id');
    for (const service of readStrings(server, 'spec.services')) {
      if (servedBy.has(service))
        return `Service ${service} is served by Servers ${servedBy.get(service)} and ${id}`;
      servedBy.set(service, id);
    }
  }
  return undefined;
}

export function serverStatus(
  server: unknown,
  namespace: string,
  view: VimanaClusterView,
): ComputedStatus<ServerStatus> {
  const domain = readString(server, 'spec.domain');
  const id = readString(server, 'spec.id');
  const shares = trafficPercent(server);
  const missing = missingComponentVersions(server, view.components(namespace));
  const fields: Omit<ServerStatus, 'conditions'> = {
    ...(domain && id && { serverName: serverName(domain, id) }),
    ...(shares && {
      trafficPercent: Object.fromEntries(shares),
      traffic: [...shares].map(([version, percent]) => `${version}=${percent}%`).join(', '),
    }),
    ...(domain &&
      id && {
        backendServices: Object.fromEntries(
          versionWeights(server).map(([version]) => [
            version,
            serviceName(componentName(domain, id, version)),
          ]),
        ),
      }),
    missingComponents: missing,
  };
  let available = reconciled('server');
  if (!view.domains(namespace).some((candidate) => domain && readString(candidate, 'spec.id') === domain))
    available = failed(
      'DomainNotFound',
      `No Domain with id ${JSON.stringify(domain ?? '')} in namespace ${namespace}`,
    );
  else if (missing.length > 0)
    available = failed('MissingComponent', `Weighted versions without a Component: ${missing.join(', ')}`);
  return { fields, available };
}

export function componentStatus(
  component: unknown,
  namespace: string,
  view: VimanaClusterView,
): ComputedStatus<ComponentStatus> {
  const domain = readString(component, 'spec.domain');
  const server = readString(component, 'spec.server');
  const version = readString(component, 'spec.version');
  const image = readString(component, 'spec.image');
  const registry = image === undefined ? undefined : parseImage(image)?.registry;
  const owner = domain && server ? serversOfComponent(view.servers(namespace), domain, server)[0] : undefined;
  const weight = version === undefined ? 0 : weightOf(owner, version);
  const share = version === undefined ? undefined : trafficPercent(owner)?.get(version);
  const name = domain && server && version ? componentName(domain, server, version) : undefined;
  // Each name is a SHA-224 digest, and a reconciler pass computes every Component of a namespace: once each.
  const names = name && {
    componentName: name,
    deploymentName: deploymentName(name),
    serviceName: serviceName(name),
  };
  const fields: Omit<ComponentStatus, 'conditions'> = {
    ...names,
    weight,
    trafficPercent: share ?? 0,
    ...(registry !== undefined && { imageRegistry: registry }),
  };
  const ready =
    !!names &&
    view.generatedState('Deployment', namespace, names.deploymentName) !== 'absent' &&
    view.generatedState('Service', namespace, names.serviceName) !== 'absent';
  return { fields, available: ready ? reconciled('component') : RECONCILING };
}

/**
 * prismgate's own condition: availability as prismgate judges it from the objects it sees (the reasons of
 * §3.3). The operator's condition types (`Available`, see status-fields.ts) are its own; prismgate never
 * writes them, so a kind's `Available` is whatever the operator last said.
 */
export const PRISMGATE_CONDITION = 'prismgate.kappnav.io/Available';

/** What prismgate computes for one object: its derived fields and its own condition. */
export interface ComputedVimanaStatus {
  fields: Record<string, unknown>;
  condition: Condition;
}

const BY_KIND: Record<
  VimanaKind,
  (object: unknown, namespace: string, view: VimanaClusterView) => ComputedStatus<object>
> = {
  Vimana: vimanaStatus,
  Domain: domainStatus,
  Server: serverStatus,
  Component: componentStatus,
};

/**
 * A condition of `type` for `verdict`, dated as `meta.SetStatusCondition` dates it: `lastTransitionTime`
 * is kept from the `stored` conditions' entry of that type while the status value holds, and is `now`
 * (whole seconds, as metav1.Time serialises) when it changes.
 */
export function datedCondition(
  type: string,
  verdict: AvailableVerdict,
  stored: unknown,
  now: Date,
): Condition {
  const old = (Array.isArray(stored) ? stored : []).find(
    (condition: unknown): condition is Condition => isRecord(condition) && condition['type'] === type,
  );
  const lastTransitionTime =
    old?.status === verdict.status && typeof old.lastTransitionTime === 'string'
      ? old.lastTransitionTime
      : now.toISOString().replace(/\.\d+Z$/, 'Z');
  return { type, ...verdict, lastTransitionTime };
}

/** The computed status of a stored Vimana object, judged from the view. */
export function computeVimanaStatus(
  kind: VimanaKind,
  namespace: string,
  object: unknown,
  view: VimanaClusterView,
  now: Date = new Date(),
): ComputedVimanaStatus {
  const { fields, available } = BY_KIND[kind](object, namespace, view);
  return {
    fields: fields as Record<string, unknown>,
    condition: datedCondition(PRISMGATE_CONDITION, available, readPath(object, 'status.conditions'), now),
  };
}
