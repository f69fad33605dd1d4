/**
 * Uniqueness across resources (vimana-invariants.md §2.3 R5-R9): what two objects may not share because
 * the operator would derive one Kubernetes object, route match or Gateway listener from both.
 */
import { listEntries, readString, readStrings } from '../fields.ts';
import { domainHostnames } from '../derived.ts';
import { domainIdProblem, serverIdProblem, versionProblem, type FormatCheck } from '../patterns.ts';
import { exceptSelf, serversOfDomain } from '../relations.ts';
import type { Finding } from '../violation.ts';
import { lookupRule, wellFormed, WRITES, type RuleContext, type VimanaRule } from './rule.ts';

/** The entries of the object's list that a peer already claims, each naming that peer. */
function claimedEntries(
  object: unknown,
  path: string,
  peers: readonly unknown[],
  claimsOf: (peer: unknown) => string[],
  expected: (owner: unknown) => string,
): Finding[] {
  const owners = new Map<string, unknown>();
  for (const peer of peers) for (const claim of claimsOf(peer)) owners.set(claim, peer);
  return listEntries(object, path).flatMap((entry) => {
    const owner = owners.get(entry.value);
    return owner === undefined ? [] : [{ ...entry, expected: expected(owner) }];
  });
}

/** An identity no other object may share: the first other object sharing it is named. */
function uniqueRule(
  header: Parameters<typeof lookupRule>[0],
  identity: {
    fields: Record<string, FormatCheck>;
    path: string;
    /** The objects with the reviewed object's identity, itself possibly included. */
    sharing: (values: string[], context: RuleContext) => readonly unknown[];
    expected: (twin: unknown, values: string[]) => string;
  },
): VimanaRule {
  return lookupRule(header, {
    fields: identity.fields,
    path: identity.path,
    problem: (values, context) => {
      const twin = exceptSelf(identity.sharing(values, context), context)[0];
      return twin === undefined ? undefined : identity.expected(twin, values);
    },
  });
}

/** R5: two Servers with one (domain, id) share component names, hence Services and routes. */
const uniqueServerId = uniqueRule(
  {
    name: 'unique-server-id',
    rule: 'R5',
    kinds: ['Server'],
    description: 'A Server id is unique within its Domain',
  },
  {
    fields: { 'spec.domain': domainIdProblem, 'spec.id': serverIdProblem },
    path: 'spec.id',
    sharing: ([domain = '', id], { view, namespace }) =>
      serversOfDomain(view.servers(namespace), domain).filter(
        (server) => readString(server, 'spec.id') === id,
      ),
    expected: (twin) =>
      `must be unique in its Domain; Server ${readString(twin, 'metadata.name')} already has it`,
  },
);

/** R6: two Components of one version compute the same Deployment and Service names and fight over them. */
const uniqueVersion = uniqueRule(
  {
    name: 'unique-component-version',
    rule: 'R6',
    kinds: ['Component'],
    description: 'A Component version is unique within its Server',
  },
  {
    fields: {
      'spec.domain': domainIdProblem,
      'spec.server': serverIdProblem,
      'spec.version': versionProblem,
    },
    path: 'spec.version',
    sharing: ([domainId = '', serverId = '', version = ''], { view, namespace }) =>
      view.componentsWithVersion({ namespace, domainId, serverId, version }),
    expected: (twin, [, server]) =>
      `must be unique for Server ${server}; Component ${readString(twin, 'metadata.name')} already has it`,
  },
);

/** R7: the operator's failing TODO test; one service in two route rules makes the first one win silently. */
const uniqueServices: VimanaRule = {
  name: 'unique-services-in-domain',
  rule: 'R7',
  kinds: ['Server'],
  operations: WRITES,
  severity: 'deny',
  description: 'No two Servers of a Domain serve the same service',
  check: (context) => {
    const [domain] = wellFormed(context.object, { 'spec.domain': domainIdProblem }) ?? [];
    if (domain === undefined) return [];
    const peers = exceptSelf(serversOfDomain(context.view.servers(context.namespace), domain), context);
    return claimedEntries(
      context.object,
      'spec.services',
      peers,
      (server) => readStrings(server, 'spec.services'),
      (server) => `is already served by Server ${readString(server, 'spec.id')}`,
    );
  },
};

/** R8: the id names the GRPCRoute and the global hostname `<id>.app.vimana.host`. */
const uniqueDomainId = uniqueRule(
  {
    name: 'unique-domain-id',
    rule: 'R8',
    kinds: ['Domain'],
    description: 'A Domain id is unique in the cluster',
  },
  {
    fields: { 'spec.id': domainIdProblem },
    path: 'spec.id',
    sharing: ([id = ''], { view }) => view.domainsWithId(id),
    expected: (twin) =>
      `must be unique in the cluster; Domain ${readString(twin, 'metadata.namespace')}/${readString(twin, 'metadata.name')} already has it`,
  },
);

/**
 * R9: every hostname becomes a Gateway listener; a repeat makes the Gateway reject the whole listener set,
 * which takes down every Domain behind the Vimana. Canonical hostnames repeat only with their ids (R8).
 */
const uniqueHostnames: VimanaRule = {
  name: 'unique-hostnames-per-vimana',
  rule: 'R9',
  kinds: ['Domain'],
  operations: WRITES,
  severity: 'deny',
  description: 'No alias is a hostname of another Domain in the namespace',
  check: (context) =>
    claimedEntries(
      context.object,
      'spec.aliases',
      exceptSelf(context.view.domains(context.namespace), context),
      domainHostnames,
      (domain) => `is already a hostname of Domain ${readString(domain, 'spec.id')} in this namespace`,
    ),
};

export const uniquenessRules: readonly VimanaRule[] = [
  uniqueServerId,
  uniqueVersion,
  uniqueServices,
  uniqueDomainId,
  uniqueHostnames,
];
