/**
 * The rule cases the e2e suite sends through kubectl: for every rule id a manifest that violates it
 * (denied, or warned for WARN rules) and an edge-valid one (accepted, and not warned by that rule).
 *
 * The §4.2 examples of the unit suite come first, as they are; then the cases they lack: the rules §4.2
 * has no example for, UPDATE and DELETE forms, and the edge-valid manifests. Each case names the cluster
 * around it (the acme fixture, V2-V5, unless said otherwise); the runner creates one namespace per cluster.
 */
import type { KubeObject } from '../../pkg/kube/types.ts';
import { INVALID_EXAMPLES, WARNING_EXAMPLES, type Example } from '../support/vimana/invalid-examples.ts';
import { canonicalHostname, tlsSecretName } from '../../features/vimana/names.ts';
import { ACME, acme, DOMAIN_ID, variant } from '../support/vimana/fixtures.ts';
import type { RuleId } from '../../features/vimana/violation.ts';

export type Outcome = 'deny' | 'warn' | 'allow';

export interface RuleCase {
  rule: RuleId;
  outcome: Outcome;
  title: string;
  /** `apply` creates, or updates when the cluster has an object of that name; `delete` deletes it. */
  action: 'apply' | 'delete';
  object: KubeObject;
  /** The cluster the case runs in; the acme fixture by default. */
  cluster?: readonly KubeObject[];
  /** The exact message expected among the denials or warnings, when the rule id alone is not enough. */
  message?: string;
}

/**
 * What the mutating webhook repairs before any rule sees it: there the §4.2 example ends as a warning
 * naming the rule, and the object is stored normalised.
 */
const REPAIRED_BY_MUTATION = new Set(['#7 Domain alias API.Example.com', '#14 a repeated alias']);

/** Names the API server itself refuses before admission (not an RFC 1123 subdomain). */
const REFUSED_BY_KUBERNETES = new Set(['#8 Vimana name My.Vimana']);

function fromExample(example: Example, outcome: Outcome): RuleCase {
  return {
    rule: example.rule,
    outcome: REPAIRED_BY_MUTATION.has(example.title) ? 'warn' : outcome,
    title: example.title,
    action: example.operation === 'DELETE' ? 'delete' : 'apply',
    object: example.object,
    ...(example.objects && { cluster: example.objects }),
  };
}

// Clusters beyond the acme fixture.
const without = (...kinds: string[]) => ACME.filter((object) => !kinds.includes(object.kind ?? ''));
const VIMANA_ONLY = without('Domain', 'Server', 'Component');
const EMPTY: readonly KubeObject[] = [];
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const plainDomain = (id: string, extra: Record<string, unknown> = {}) =>
  variant(
    'Domain',
    { id, aliases: undefined, failover: undefined, grpc: undefined, regions: undefined, ...extra },
    id,
  );
const server = (name: string, spec: Record<string, unknown>) =>
  variant('Server', { id: name, auth: undefined, features: undefined, ...spec }, name);
const component = (
  name: string,
  domain: string,
  serverId: string,
  version: string,
  registry = 'r.example.com',
) =>
  variant(
    'Component',
    { domain, server: serverId, version, image: `${registry}/${domain}/${serverId}:${version}` },
    name,
  );
/**
 * Two more Domains beside acme's: B (no reflection) with Server `orders` (weight 0 on its one Component)
 * and Server `idle` (no Component), and C with no Server.
 */
const TWO_MORE_DOMAINS: readonly KubeObject[] = [
  ...ACME,
  plainDomain(B),
  plainDomain(C),
  server('orders', { domain: B, services: ['acme.orders.v1.OrderService'], versionWeights: { '1.0.0': 0 } }),
  server('idle', { domain: B, services: ['acme.idle.v1.Idle'], versionWeights: undefined }),
  component('orders-1-0-0', B, 'orders', '1.0.0'),
];
/** The acme fixture and a TLS Secret for the canonical hostname of Domain `WITH_SECRET`. */
const WITH_SECRET = '0123456789abcdef0123456789abcdef';
const ACME_WITH_SECRET: readonly KubeObject[] = [
  ...ACME,
  {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: tlsSecretName(canonicalHostname(WITH_SECRET)), namespace: 'acme' },
    data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' },
  },
];
const hostnames = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}.example.com`);
/** The cluster of the §4.2 example of a rule, for the edge-valid case next to it. */
function clusterOfExample(rule: RuleId): readonly KubeObject[] {
  const objects = INVALID_EXAMPLES.find((example) => example.rule === rule && example.objects)?.objects;
  if (!objects) throw new Error(`§4.2 has no example of ${rule} with its own cluster`);
  return objects;
}

/** Violations §4.2 has no example of, and UPDATE and DELETE forms. */
const MORE_VIOLATIONS: RuleCase[] = [
  {
    rule: 'F7',
    title: 'a failover URL',
    object: variant('Domain', { failover: ['https://backup.example.net'] }),
  },
  {
    rule: 'F8',
    title: 'a JWKS entry that is no URL',
    object: variant('Server', { auth: { jwks: ['jwks.json'] } }),
  },
  {
    rule: 'F9',
    outcome: 'warn',
    title: 'a region without provider slash',
    object: variant('Domain', { regions: ['us-east'] }),
    message:
      'spec.regions[0] "us-east": should be <provider>/<region> in lowercase, e.g. aws/us-east or /us-east (rule F9)',
  },
  {
    rule: 'F11',
    outcome: 'warn',
    title: 'a feature flag in snake case',
    object: variant('Server', { features: { new_checkout: {} } }),
  },
  {
    rule: 'X3',
    title: 'a reflection service without package',
    object: variant('Domain', { grpc: { reflection: { noneBut: ['PaymentService'] } } }),
  },
  {
    rule: 'X3',
    outcome: 'warn',
    title: 'a repeated reflection service (removed by the mutation)',
    object: variant('Domain', {
      grpc: { reflection: { allBut: ['acme.payments.v1.AdminService', 'acme.payments.v1.AdminService'] } },
    }),
  },
  {
    rule: 'X4',
    outcome: 'warn',
    title: 'a repeated region (removed by the mutation)',
    object: variant('Domain', { regions: ['aws/us-east', 'aws/us-east'] }),
  },
  {
    rule: 'X6',
    outcome: 'warn',
    title: 'every weight 0',
    object: variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 0 } }),
  },
  {
    rule: 'X7',
    outcome: 'warn',
    title: 'a Server without versionWeights',
    object: variant('Server', { versionWeights: undefined }),
  },
  {
    rule: 'I5',
    title: 'Domain vimana changed',
    object: variant('Domain', { vimana: 'elsewhere' }),
  },
  {
    rule: 'R12',
    outcome: 'warn',
    title: 'a new Domain without its TLS Secret',
    object: plainDomain('9'.repeat(32)),
    message: `spec.id "${'9'.repeat(32)}": should have a kubernetes.io/tls Secret ${tlsSecretName(canonicalHostname('9'.repeat(32)))} for its canonical hostname (rule R12)`,
  },
  {
    rule: 'D2',
    outcome: 'warn',
    title: 'deleting a Server that sends traffic to its Components (held, not denied)',
    action: 'delete',
    object: acme('Server'),
  },
  {
    rule: 'D2',
    outcome: 'warn',
    title: 'deleting an unweighted Server that has a Component',
    action: 'delete',
    object: server('orders', { domain: B }),
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'D4',
    outcome: 'warn',
    title: 'deleting a Vimana with Domains (held, not denied)',
    action: 'delete',
    object: acme('Vimana'),
  },
].map((entry) => ({ outcome: 'deny', action: 'apply', ...entry }) as RuleCase);

/** The edge-valid manifest of every rule: accepted, and not warned about by that rule. */
const EDGE_VALID: RuleCase[] = [
  {
    rule: 'F1',
    title: 'a Domain id of digits and a-f',
    object: plainDomain('0123456789abcdef0f9ed8c7654b32a1'),
  },
  {
    rule: 'F2',
    title: 'a one-letter Server id',
    object: server('a', { services: ['acme.a.v1.A'], versionWeights: { '1.0.0': 1 } }),
  },
  {
    rule: 'F2',
    title: 'a 63-character Server id',
    object: server('a'.repeat(63), { services: ['acme.b.v1.B'] }),
  },
  { rule: 'F3', title: 'version 1.2.3-00a', object: component('x', DOMAIN_ID, 'payments', '1.2.3-00a') },
  {
    rule: 'F4',
    title: 'an image registry with a port',
    object: component('with-port', DOMAIN_ID, 'payments', '2.0.0', 'host.minikube.internal:5000'),
  },
  {
    rule: 'F5',
    title: 'services with underscores and digits',
    object: server('grpc', { services: ['foo.bar.AdderService', 'acme.v2.Refund_Service2'] }),
  },
  {
    rule: 'F6',
    title: 'aliases with dashes',
    object: variant('Domain', { aliases: ['api.example.com', 'a-b.c-d.example'] }),
  },
  {
    rule: 'F7',
    title: 'two failover names',
    object: variant('Domain', { failover: ['backup.example.net', 'dr.example.org'] }),
  },
  {
    rule: 'F8',
    title: 'an https JWKS URL',
    object: variant('Server', { auth: { jwks: ['https://auth.example.com/k.json'] } }),
  },
  {
    rule: 'F9',
    title: 'regions of any, one or all providers',
    object: variant('Vimana', { regions: ['/us-east', 'aws/us-east', 'all/eu'] }),
    cluster: VIMANA_ONLY,
  },
  {
    rule: 'F10',
    title: 'a 55-character Vimana name',
    object: { ...acme('Vimana'), metadata: { name: 'v'.repeat(55), namespace: 'acme' } },
    cluster: EMPTY,
  },
  {
    rule: 'F11',
    title: 'kebab-case feature flags',
    object: variant('Server', { features: { 'new-checkout': {}, 'dark-mode-2': {} } }),
  },
  {
    rule: 'F12',
    title: 'weights 0 and 1000000',
    object: variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 1_000_000 } }),
  },
  {
    rule: 'F13',
    title: 'a Server with only its required fields and services',
    object: server('minimal', { services: ['acme.min.v1.M'], versionWeights: undefined }),
  },
  {
    rule: 'X1',
    title: 'an image from another registry',
    object: component('elsewhere', DOMAIN_ID, 'payments', '2.1.0', 'mirror.example.org'),
  },
  {
    rule: 'X2',
    title: 'allBut: [] alone (reflection for all)',
    object: variant('Domain', { grpc: { reflection: { allBut: [] } } }),
  },
  {
    rule: 'X3',
    title: 'noneBut naming a declared service',
    object: variant('Domain', { grpc: { reflection: { noneBut: ['acme.payments.v1.PaymentService'] } } }),
  },
  {
    rule: 'X4',
    title: 'distinct aliases',
    object: variant('Domain', { aliases: ['api.example.com', 'api.example.net'] }),
  },
  {
    rule: 'X5',
    title: 'a pre-release weight key',
    object: server('beta', { services: ['acme.beta.v1.B'], versionWeights: { '2.0.0-beta': 1 } }),
  },
  {
    rule: 'X6',
    title: 'one weight 0 beside another',
    object: variant('Server', { versionWeights: { '1.4.0': 0, '1.5.0-rc1': 5 } }),
  },
  {
    rule: 'X7',
    title: 'a single service',
    object: variant('Server', { services: ['acme.payments.v1.PaymentService'] }),
  },
  {
    rule: 'X8',
    title: 'the reflection service in a Domain without reflection',
    object: server('reflector', { domain: B, services: ['grpc.reflection.v1.ServerReflection'] }),
    cluster: TWO_MORE_DOMAINS,
  },
  { rule: 'R1', title: 'the first Vimana of a namespace', object: acme('Vimana'), cluster: EMPTY },
  {
    rule: 'R2',
    title: 'a Domain of the namespace Vimana',
    object: plainDomain('1234567890abcdef0f9ed8c7654b32a1'),
  },
  {
    rule: 'R3',
    title: 'a Server of an existing Domain',
    object: server('r3', { services: ['acme.r3.v1.R'] }),
  },
  {
    rule: 'R4',
    title: 'a Component of an existing Server',
    object: component('payments-1-6-0', DOMAIN_ID, 'payments', '1.6.0'),
  },
  {
    rule: 'R5',
    title: 'Server id payments in another Domain',
    object: {
      ...server('payments', { domain: B, services: ['acme.b.v1.Payments'] }),
      metadata: { name: 'payments-b', namespace: 'acme' },
    },
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'R6',
    title: 'version 1.4.0 of another Server',
    object: component('orders-1-4-0', B, 'orders', '1.4.0'),
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'R7',
    title: 'a service of Domain A served again in Domain B',
    object: server('billing', { domain: B, services: ['acme.payments.v1.PaymentService'] }),
    cluster: TWO_MORE_DOMAINS,
  },
  { rule: 'R8', title: 'a Domain updated with its own id', object: variant('Domain', { openApi: false }) },
  {
    rule: 'R9',
    title: 'a Domain keeping its own aliases',
    object: variant('Domain', { aliases: ['api.example.com', 'grpc.example.net', 'new.example.com'] }),
  },
  {
    rule: 'R10',
    title: 'regions that meet the Vimana ones',
    object: variant('Domain', { regions: ['gcp/us-west1', 'aws/us-east'] }),
  },
  {
    rule: 'R11',
    title: 'weights only on existing Components',
    object: variant('Server', { versionWeights: { '1.4.0': 100 } }),
  },
  {
    rule: 'R12',
    title: 'a Domain whose TLS Secret exists',
    object: plainDomain(WITH_SECRET),
    cluster: ACME_WITH_SECRET,
  },
  {
    rule: 'I1',
    title: 'a Domain update keeping its id',
    object: variant('Domain', { openApi: false, failover: undefined }),
  },
  {
    rule: 'I2',
    title: 'a Server update keeping its identity',
    object: variant('Server', {
      services: ['acme.payments.v1.PaymentService', 'acme.payments.v1.RefundService'],
    }),
  },
  {
    rule: 'I3',
    title: 'a Component update changing only a label',
    object: {
      ...acme('Component'),
      metadata: { ...acme('Component').metadata, labels: { team: 'payments' } },
    },
  },
  {
    rule: 'I4',
    title: 'a Component update keeping its image',
    object: { ...acme('Component'), metadata: { ...acme('Component').metadata, labels: { tier: 'gold' } } },
  },
  {
    rule: 'I5',
    title: 'a Domain update keeping its Vimana',
    object: variant('Domain', { aliases: ['api.example.com'] }),
  },
  {
    rule: 'D1',
    title: 'deleting a Domain without Servers',
    action: 'delete',
    object: plainDomain(C),
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'D2',
    title: 'deleting a Server without Components',
    action: 'delete',
    object: server('idle', {}),
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'D3',
    title: 'deleting a Component whose version has weight 0',
    action: 'delete',
    object: component('orders-1-0-0', B, 'orders', '1.0.0'),
    cluster: TWO_MORE_DOMAINS,
  },
  {
    rule: 'D4',
    title: 'deleting a Vimana without Domains',
    action: 'delete',
    object: acme('Vimana'),
    cluster: VIMANA_ONLY,
  },
  { rule: 'L1', title: '15 aliases', object: variant('Domain', { aliases: hostnames(15, 'a') }) },
  {
    rule: 'L2',
    title: 'a 16th Server updated',
    object: variant('Server', { id: 's0', services: ['acme.s0.v1.S0', 'acme.s0.v1.S1'] }, 's0'),
    cluster: clusterOfExample('L2'),
  },
  {
    rule: 'L3',
    title: '64 services',
    object: variant('Server', { services: Array.from({ length: 64 }, (_, i) => `acme.big.v1.S${i}`) }),
  },
  {
    rule: 'L4',
    title: 'a Domain at 128 services',
    object: variant(
      'Server',
      { id: 's1', services: Array.from({ length: 64 }, (_, j) => `acme.s1.v2.S${j}`) },
      's1',
    ),
    cluster: clusterOfExample('L4'),
  },
  {
    rule: 'L5',
    title: '16 weighted versions',
    object: variant('Server', {
      versionWeights: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`1.${i}.0`, 1])),
    }),
  },
  {
    rule: 'L6',
    title: 'a Domain that brings the namespace to 64 listeners',
    object: plainDomain('e'.repeat(32), { aliases: hostnames(12, 'last-') }),
    cluster: clusterOfExample('L6'),
  },
  {
    rule: 'A1',
    title: 'a Domain named after its id',
    object: plainDomain('fedcba9876543210fedcba9876543210'),
  },
].map((entry) => ({ outcome: 'allow', action: 'apply', ...entry }) as RuleCase);

export const RULE_CASES: readonly RuleCase[] = [
  ...INVALID_EXAMPLES.filter((example) => !REFUSED_BY_KUBERNETES.has(example.title)).map((example) =>
    fromExample(example, 'deny'),
  ),
  // R12 of §4.2 re-applies the fixture Domain unchanged, which the webhook is not even called for.
  ...WARNING_EXAMPLES.filter((example) => example.rule !== 'R12').map((example) =>
    fromExample(example, 'warn'),
  ),
  ...MORE_VIOLATIONS,
  ...EDGE_VALID,
];
