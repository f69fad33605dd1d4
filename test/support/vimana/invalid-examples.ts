/**
 * The invalid manifests of vimana-invariants.md §4.2, each as a variation of the acme fixture (V2-V5)
 * with the rule it must be denied by, and the "warnings, not rejections" that follow them (with #27 and
 * #28, deletions that in-use protection accepts with a warning and holds, §2.5).
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { Operation } from '../../../webhook/admission-review.ts';
import { ACME, acme, DOMAIN_ID, variant } from './fixtures.ts';
import type { RuleId } from '../../../features/vimana/violation.ts';

export interface Example {
  /** `#<n>` of §4.2 and what varies. */
  title: string;
  rule: RuleId;
  object: KubeObject;
  operation?: Operation;
  oldObject?: KubeObject;
  /** The cluster around the object; the acme fixture by default. */
  objects?: readonly KubeObject[];
}

const without = (...kinds: string[]) => ACME.filter((object) => !kinds.includes(object.kind ?? ''));
const each = <T>(values: readonly T[], example: (value: T) => Example): Example[] => values.map(example);
const sample = (kind: string): KubeObject => ({
  apiVersion: 'api.vimana.host/v1alpha1',
  kind,
  metadata: { name: `${kind.toLowerCase()}-sample`, namespace: 'acme' },
  spec: null,
});
const vimanaNamed = (name: string): KubeObject => ({
  ...acme('Vimana'),
  metadata: { name, namespace: 'acme' },
});
const image = (version: string) => `registry.example.com/${DOMAIN_ID}/payments:${version}`;
const hostnames = (count: number) => Array.from({ length: count }, (_, i) => `a${i}.example.com`);
const servers = (count: number, services = 1) =>
  Array.from({ length: count }, (_, i) =>
    variant(
      'Server',
      { id: `s${i}`, services: Array.from({ length: services }, (_, j) => `acme.s${i}.v1.S${j}`) },
      `s${i}`,
    ),
  );

export const INVALID_EXAMPLES: readonly Example[] = [
  ...each(['Domain', 'Server', 'Component'], (kind) => ({
    title: `#1 the operator's ${kind} sample without spec`,
    rule: 'F13',
    object: sample(kind),
  })),
  ...each(
    [
      '0123456789ABCDEF0123456789ABCDEF',
      '1234567890abcdef1234567890abcde',
      '1234567890abcdef1234567890abcdef1',
      'd7bd258f-46ff-4fb4-a02d-efa4d096f810',
      '',
    ],
    (id) => ({ title: `#2 Domain id ${JSON.stringify(id)}`, rule: 'F1', object: variant('Domain', { id }) }),
  ),
  ...each(['My_Server', '1-starts-with-digit', '-x', 'x-', 'contains.period', 'x'.repeat(64)], (id) => ({
    title: `#3 Server id ${id}`,
    rule: 'F2',
    object: variant('Server', { id }),
  })),
  ...each(
    ['1.2.3-alpha.1', '1.2.3+build', 'v1.0.0', '1.0', '1.0.00', '1.2.3-00', '1.2.3-ends-dash-'],
    (version) => ({
      title: `#4 Component version ${version}`,
      rule: 'F3',
      object: variant('Component', { version }),
    }),
  ),
  ...each(
    [
      'gcr.io/some/image:latest',
      `registry.example.com/acme/${DOMAIN_ID}/payments:1.4.0`,
      `https://registry.example.com/${DOMAIN_ID}/payments:1.4.0`,
      `registry.example.com/${DOMAIN_ID}/payments@sha256:${'0'.repeat(64)}`,
    ],
    (value) => ({
      title: `#5 Component image ${value}`,
      rule: 'F4',
      object: variant('Component', { image: value }),
    }),
  ),
  ...each(['AdderService', 'foo/bar.Service', 'foo.bar.Service.Method/x', '1foo.Bar'], (service) => ({
    title: `#6 Server service ${service}`,
    rule: 'F5',
    object: variant('Server', { services: [service] }),
  })),
  ...each(
    ['API.Example.com', 'https://api.example.com', '10.0.0.1', '*.example.com', 'foo.app.vimana.host'],
    (alias) => ({
      title: `#7 Domain alias ${alias}`,
      rule: 'F6',
      object: variant('Domain', { aliases: [alias] }),
    }),
  ),
  ...each(['v'.repeat(56), 'My.Vimana'], (name) => ({
    title: `#8 Vimana name ${name}`,
    rule: 'F10',
    object: vimanaNamed(name),
    objects: without('Vimana'),
  })),
  ...each([-1, 2_000_000], (weight) => ({
    title: `#9 weight ${weight}`,
    rule: 'F12',
    object: variant('Server', { versionWeights: { '1.4.0': weight } }),
  })),
  ...each(
    [
      image('1.5.0'),
      `registry.example.com/${'f'.repeat(32)}/payments:1.4.0`,
      `registry.example.com/${DOMAIN_ID}/refunds:1.4.0`,
    ],
    (value) => ({
      title: `#10 image ${value} of payments@1.4.0`,
      rule: 'X1',
      object: variant('Component', { image: value }),
    }),
  ),
  {
    title: '#11 noneBut and allBut together',
    rule: 'X2',
    object: variant('Domain', { grpc: { reflection: { noneBut: ['a.B'], allBut: ['c.D'] } } }),
  },
  { title: '#12 weight key v1', rule: 'X5', object: variant('Server', { versionWeights: { v1: 100 } }) },
  ...each([[], undefined], (services) => ({
    title: `#13 services ${JSON.stringify(services)}`,
    rule: 'X7',
    object: variant('Server', { services }),
  })),
  {
    title: '#14 a repeated alias',
    rule: 'X4',
    object: variant('Domain', { aliases: ['api.example.com', 'api.example.com'] }),
  },
  { title: '#15 a second Vimana', rule: 'R1', object: vimanaNamed('other') },
  { title: '#16 a missing Vimana', rule: 'R2', object: variant('Domain', { vimana: 'missing' }) },
  { title: '#17 a missing Domain', rule: 'R3', object: variant('Server', { domain: 'f'.repeat(32) }) },
  { title: '#18 a missing Server', rule: 'R4', object: variant('Component', { server: 'refunds' }) },
  {
    title: '#19 a second Server payments',
    rule: 'R5',
    object: variant('Server', { services: ['acme.other.v1.X'] }, 'payments-2'),
  },
  { title: '#20 a second payments@1.4.0', rule: 'R6', object: variant('Component', {}, 'payments-again') },
  {
    title: '#21 PaymentService served twice',
    rule: 'R7',
    object: variant('Server', { id: 'orders', services: ['acme.payments.v1.PaymentService'] }, 'orders'),
  },
  ...each(['acme', 'other'], (namespace) => ({
    title: `#22 the Domain id reused in namespace ${namespace}`,
    rule: 'R8',
    object: { ...acme('Domain'), metadata: { name: 'copy', namespace } },
  })),
  ...each(['api.example.com', `${DOMAIN_ID}.app.vimana.host`], (alias) => ({
    title: `#23 alias ${alias} of another Domain`,
    rule: 'R9',
    object: variant('Domain', { id: 'e'.repeat(32), aliases: [alias] }, 'second'),
  })),
  {
    title: '#24 the reflection service in a Domain with reflection',
    rule: 'X8',
    object: variant('Server', {
      services: ['acme.payments.v1.PaymentService', 'grpc.reflection.v1.ServerReflection'],
    }),
  },
  {
    title: '#25 Domain id changed',
    rule: 'I1',
    operation: 'UPDATE',
    object: variant('Domain', { id: 'e'.repeat(32) }),
    oldObject: acme('Domain'),
  },
  ...each([{ id: 'refunds' }, { domain: 'e'.repeat(32) }], (spec) => ({
    title: `#25 Server ${Object.keys(spec)[0]} changed`,
    rule: 'I2',
    operation: 'UPDATE',
    object: variant('Server', spec),
    oldObject: acme('Server'),
  })),
  ...each([{ version: '1.4.1' }, { server: 'refunds' }, { domain: 'e'.repeat(32) }], (spec) => ({
    title: `#25 Component ${Object.keys(spec)[0]} changed`,
    rule: 'I3',
    operation: 'UPDATE',
    object: variant('Component', spec),
    oldObject: acme('Component'),
  })),
  {
    title: '#26 Component image changed',
    rule: 'I4',
    operation: 'UPDATE',
    object: variant('Component', { image: image('1.4.0') }),
    oldObject: acme('Component'),
  },
  {
    title: '#29 a Domain with 16 aliases',
    rule: 'L1',
    object: variant('Domain', { aliases: hostnames(16) }),
  },
  {
    title: '#29 a 17th Server',
    rule: 'L2',
    object: variant('Server', { id: 'last', services: ['acme.last.v1.S'] }, 'last'),
    objects: [...without('Server'), ...servers(16)],
  },
  {
    title: '#29 a Server with 65 services',
    rule: 'L3',
    object: variant('Server', { services: Array.from({ length: 65 }, (_, i) => `acme.big.v1.S${i}`) }),
  },
  {
    title: '#29 a Server with 17 versions',
    rule: 'L5',
    object: variant('Server', {
      versionWeights: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`1.${i}.0`, 1])),
    }),
  },
  {
    title: '#29 a Domain beyond 128 services',
    rule: 'L4',
    object: variant('Server', { id: 'last', services: ['acme.last.v1.S'] }, 'last'),
    objects: [...without('Server'), ...servers(2, 64)],
  },
  {
    title: '#29 a Domain beyond 64 listeners',
    rule: 'L6',
    object: variant('Domain', { id: 'e'.repeat(32), aliases: hostnames(15) }, 'last'),
    objects: [
      ...ACME,
      ...[0, 1, 2].map((i) =>
        variant(
          'Domain',
          { id: `${i}`.repeat(32), aliases: hostnames(15).map((h) => `d${i}-${h}`) },
          `d${i}`,
        ),
      ),
    ],
  },
];

/** §4.2 "Warnings, not rejections". */
export const WARNING_EXAMPLES: readonly Example[] = [
  // §4.2 #27 and #28: in-use protection accepts the delete, warns, and holds the object (§2.5).
  { title: '#27 deleting a Domain with Servers', rule: 'D1', operation: 'DELETE', object: acme('Domain') },
  {
    title: '#28 deleting a weighted Component',
    rule: 'D3',
    operation: 'DELETE',
    object: acme('Component', 'payments-1-4-0'),
  },
  {
    title: 'a Server weighting a version with no Component yet',
    rule: 'R11',
    object: acme('Server'),
    objects: without('Server', 'Component'),
  },
  {
    title: 'disjoint Domain and Vimana regions',
    rule: 'R10',
    object: variant('Domain', { regions: ['gcp/us-west1'] }),
  },
  {
    title: 'a JWKS entry over http',
    rule: 'F8',
    object: variant('Server', { auth: { jwks: ['http://auth.example.com/jwks.json'] } }),
  },
  {
    title: 'allBut naming a service no Server declares',
    rule: 'X3',
    object: variant('Domain', { grpc: { reflection: { allBut: ['acme.nothing.v1.Nope'] } } }),
  },
  { title: 'a missing TLS Secret', rule: 'R12', object: acme('Domain') },
  {
    title: 'a Domain whose name is not its id',
    rule: 'A1',
    object: { ...acme('Domain'), metadata: { name: 'foo-domain', namespace: 'acme' } },
    objects: without('Domain'),
  },
];
