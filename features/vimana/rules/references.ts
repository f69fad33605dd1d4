/**
 * Rules that follow references to other resources (vimana-invariants.md §2.3 R1-R4, R10-R12). All
 * references are namespace-local: the operator lists, routes and attaches within one namespace.
 *
 * A malformed reference is left to its format rule (F1, F2, F10): looking it up could only add a second
 * message about the same mistake.
 */
import { keyPath, listEntries, readString, readStrings } from '../fields.ts';
import { versionWeights } from '../derived.ts';
import { canonicalHostname, tlsSecretName } from '../names.ts';
import { domainIdProblem, hostnameProblem, serverIdProblem, vimanaNameProblem } from '../patterns.ts';
import { exceptSelf, missingComponentVersions, serversOfComponent } from '../relations.ts';
import { lookupRule, WRITES, type VimanaRule } from './rule.ts';

/** R1: the operator's own TODO; each Vimana would otherwise rewrite the namespace's Gateway. */
const singleVimana: VimanaRule = {
  name: 'single-vimana-per-namespace',
  rule: 'R1',
  kinds: ['Vimana'],
  operations: ['CREATE'],
  severity: 'deny',
  description: 'A namespace holds at most one Vimana',
  check: (context) => {
    const existing = exceptSelf(context.view.vimanas(context.namespace), context)[0];
    if (existing === undefined) return [];
    const expected = `must be the only Vimana in namespace ${context.namespace}, which has ${readString(existing, 'metadata.name')}`;
    return [{ path: 'metadata.name', value: readString(context.object, 'metadata.name'), expected }];
  },
};

/** R2-R4: parents are created first in the project's own manifests (§5 A11), so a missing one is denied. */
const vimanaExists = lookupRule(
  {
    name: 'domain-vimana-exists',
    rule: 'R2',
    kinds: ['Domain'],
    description: 'spec.vimana names a Vimana in the Domain namespace',
  },
  {
    fields: { 'spec.vimana': vimanaNameProblem },
    path: 'spec.vimana',
    problem: ([vimana], { view, namespace }) =>
      view.vimanas(namespace).some((candidate) => readString(candidate, 'metadata.name') === vimana)
        ? undefined
        : `must name an existing Vimana in namespace ${namespace}`,
  },
);

const domainExists = lookupRule(
  {
    name: 'server-domain-exists',
    rule: 'R3',
    kinds: ['Server'],
    description: 'spec.domain is the id of a Domain in the Server namespace',
  },
  {
    fields: { 'spec.domain': domainIdProblem },
    path: 'spec.domain',
    problem: ([domain], { view, namespace }) =>
      view.domains(namespace).some((candidate) => readString(candidate, 'spec.id') === domain)
        ? undefined
        : `must be the spec.id of a Domain in namespace ${namespace}`,
  },
);

const serverExists = lookupRule(
  {
    name: 'component-server-exists',
    rule: 'R4',
    kinds: ['Component'],
    description: 'spec.domain and spec.server name a Server in the Component namespace',
  },
  {
    fields: { 'spec.domain': domainIdProblem, 'spec.server': serverIdProblem },
    path: 'spec.server',
    problem: ([domain = '', server = ''], { view, namespace }) =>
      serversOfComponent(view.servers(namespace), domain, server).length > 0
        ? undefined
        : `must be the spec.id of a Server of Domain ${domain}`,
  },
);

/** R10: a cluster runs only pods cleared for one of its regions, so disjoint lists strand the Domain. */
const regionsOverlap: VimanaRule = {
  name: 'regions-overlap',
  rule: 'R10',
  kinds: ['Vimana', 'Domain'],
  operations: WRITES,
  severity: 'warn',
  description: 'Non-empty Domain and Vimana region lists share a region',
  check: ({ kind, object, namespace, view }) => {
    const regions = readStrings(object, 'spec.regions');
    if (regions.length === 0) return [];
    // A Domain is judged against its Vimana, a Vimana against the Domains that name it.
    const counterparts =
      kind === 'Vimana'
        ? view
            .domains(namespace)
            .filter((domain) => readString(domain, 'spec.vimana') === readString(object, 'metadata.name'))
            .map((domain) => ({ other: domain, label: `Domain ${readString(domain, 'spec.id')}` }))
        : view
            .vimanas(namespace)
            .filter((vimana) => readString(vimana, 'metadata.name') === readString(object, 'spec.vimana'))
            .map((vimana) => ({ other: vimana, label: `Vimana ${readString(vimana, 'metadata.name')}` }));
    return counterparts
      .filter(({ other }) => {
        const theirs = readStrings(other, 'spec.regions');
        return theirs.length > 0 && !theirs.some((region) => regions.includes(region));
      })
      .map(({ label }) => ({
        path: 'spec.regions',
        value: regions,
        expected: `should share a region with ${label}`,
      }));
  },
};

/** R11: the Server may come before its Components in one apply (the project's e2e manifest does). */
const weightedComponentsExist: VimanaRule = {
  name: 'weighted-components-exist',
  rule: 'R11',
  kinds: ['Server'],
  operations: WRITES,
  severity: 'warn',
  description: 'Every version weighted above 0 has a Component',
  check: ({ object, namespace, view }) => {
    const missing = new Set(missingComponentVersions(object, view.components(namespace)));
    return versionWeights(object)
      .filter(([version]) => missing.has(version))
      .map(([version, weight]) => ({
        path: keyPath('spec.versionWeights', version),
        value: weight,
        expected: 'should name an existing Component version, or this share of traffic fails',
      }));
  },
};

/** R12: listeners reference `c-<sha224(hostname)>`; certificates are provisioned out of band. */
const tlsSecretsExist: VimanaRule = {
  name: 'tls-secrets-exist',
  rule: 'R12',
  kinds: ['Domain'],
  operations: WRITES,
  severity: 'warn',
  description: 'Each Domain hostname has its TLS Secret c-<sha224(hostname)>',
  check: ({ object, namespace, view }) => {
    const id = readString(object, 'spec.id');
    const hostnames = [
      ...(id !== undefined && domainIdProblem(id) === undefined
        ? [{ path: 'spec.id', value: id, hostname: canonicalHostname(id) }]
        : []),
      ...listEntries(object, 'spec.aliases')
        .filter(({ value }) => hostnameProblem(value) === undefined)
        .map((entry) => ({ ...entry, hostname: entry.value })),
    ];
    return hostnames
      .filter(({ hostname }) => !view.hasTlsSecret(namespace, tlsSecretName(hostname)))
      .map(({ path, value, hostname }) => ({
        path,
        value,
        expected: `should have a kubernetes.io/tls Secret ${tlsSecretName(hostname)}${path === 'spec.id' ? ' for its canonical hostname' : ''}`,
      }));
  },
};

export const referenceRules: readonly VimanaRule[] = [
  singleVimana,
  vimanaExists,
  domainExists,
  serverExists,
  regionsOverlap,
  weightedComponentsExist,
  tlsSecretsExist,
];
