/**
 * gRPC reflection of a Domain (vimana-invariants.md §2.2 X2, X3, X8): `noneBut` or `allBut`, naming
 * services, and the reflection services themselves reserved once reflection is on.
 */
import { listEntries, readPath, readRecord, readString, readStrings } from '../fields.ts';
import { reflectionEnabled } from '../derived.ts';
import { serviceNameProblem } from '../patterns.ts';
import { belongsToDomain, serversOfDomain } from '../relations.ts';
import type { Finding } from '../violation.ts';
import { formatRule, uniqueEntriesRule, WRITES, type RuleContext, type VimanaRule } from './rule.ts';

const REFLECTION = 'spec.grpc.reflection';
const REFLECTION_LISTS = [`${REFLECTION}.noneBut`, `${REFLECTION}.allBut`];
const RESERVED_SERVICES: ReadonlySet<string> = new Set([
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha1.ServerReflection',
]);

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** X2: even `noneBut: []` with `allBut` is ambiguous, so any two present keys are denied (§2.2). */
const exclusiveLists: VimanaRule = {
  name: 'reflection-lists-exclusive',
  rule: 'X2',
  kinds: ['Domain'],
  operations: WRITES,
  severity: 'deny',
  description: 'grpc.reflection sets at most one of noneBut and allBut',
  check: ({ object }) => {
    const reflection = readRecord(object, REFLECTION);
    if (!reflection || !isPresent(reflection['noneBut']) || !isPresent(reflection['allBut'])) return [];
    return [{ path: REFLECTION, value: reflection, expected: 'must set only one of noneBut and allBut' }];
  },
};

const serviceFormat = formatRule(
  {
    name: 'reflection-service-format',
    rule: 'X3',
    severity: 'deny',
    description: 'noneBut and allBut name fully-qualified gRPC services',
  },
  { Domain: REFLECTION_LISTS.map((path) => `${path}[]`) },
  serviceNameProblem,
);

const uniqueServices = uniqueEntriesRule(
  {
    name: 'reflection-service-unique',
    rule: 'X3',
    severity: 'warn',
    description: 'noneBut and allBut repeat no service',
  },
  { Domain: REFLECTION_LISTS },
);

/** Servers are often created after their Domain, so an unknown name only warns. */
const knownServices: VimanaRule = {
  name: 'reflection-service-known',
  rule: 'X3',
  kinds: ['Domain'],
  operations: WRITES,
  severity: 'warn',
  description: 'noneBut and allBut name services that some Server of the Domain declares',
  check: ({ object, namespace, view }) => {
    const id = readString(object, 'spec.id');
    if (!id) return [];
    const declared = new Set(
      serversOfDomain(view.servers(namespace), id).flatMap((server) => readStrings(server, 'spec.services')),
    );
    return REFLECTION_LISTS.flatMap((path) => listEntries(object, path))
      .filter(({ value }) => serviceNameProblem(value) === undefined && !declared.has(value))
      .map((entry) => ({
        ...entry,
        expected: 'should name a service that a Server of this Domain declares',
      }));
  },
};

/** X8, from both sides: a Server may not claim a reflection service that its Domain serves itself. */
const reservedServices: VimanaRule = {
  name: 'reflection-services-reserved',
  rule: 'X8',
  kinds: ['Domain', 'Server'],
  operations: WRITES,
  severity: 'deny',
  description: 'No Server of a Domain with reflection on lists grpc.reflection.*.ServerReflection',
  check: (context) => (context.kind === 'Server' ? reservedByServer(context) : reservedByDomain(context)),
};

function reservedByServer({ object, namespace, view }: RuleContext): Finding[] {
  const id = view
    .domains(namespace)
    .filter(reflectionEnabled)
    .map((domain) => readString(domain, 'spec.id'))
    .find((candidate) => candidate && belongsToDomain(object, candidate));
  if (!id) return [];
  const expected = `is reserved: Domain ${id} serves reflection itself`;
  return listEntries(object, 'spec.services')
    .filter(({ value }) => RESERVED_SERVICES.has(value))
    .map((entry) => ({ ...entry, expected }));
}

function reservedByDomain({ object, namespace, view }: RuleContext): Finding[] {
  const id = readString(object, 'spec.id');
  if (!id || !reflectionEnabled(object)) return [];
  return serversOfDomain(view.servers(namespace), id).flatMap((server): Finding[] => {
    const reserved = readStrings(server, 'spec.services').find((service) => RESERVED_SERVICES.has(service));
    if (reserved === undefined) return [];
    const expected = `cannot be on while Server ${readString(server, 'spec.id')} serves ${reserved}`;
    return [{ path: REFLECTION, value: readPath(object, REFLECTION), expected }];
  });
}

export const reflectionRules: readonly VimanaRule[] = [
  exclusiveLists,
  serviceFormat,
  uniqueServices,
  knownServices,
  reservedServices,
];
