/**
 * The single-object Vimana rules the benchmark's CEL policies hold (F1 F2 F3 F4/X1 F5 F6 F10 F12 F13 X2
 * X5 X7), as a Pepr capability: one Validate action per kind, written as a Pepr user writes them, in
 * TypeScript. The patterns are prismgate's own (features/vimana/patterns.ts), written into patterns.json
 * when the benchmark builds the module.
 */
import { Capability, a, type PeprValidateRequest } from 'pepr';
import sources from './patterns.json';

const pattern = (name: keyof typeof sources) => new RegExp(sources[name]);
const VERSION = pattern('VERSION');
const SERVER_ID = pattern('SERVER_ID');
const DOMAIN_ID = pattern('DOMAIN_ID');
const GRPC_SERVICE = pattern('GRPC_SERVICE');
const HOSTNAME = pattern('HOSTNAME');
const VIMANA_NAME = pattern('VIMANA_NAME');
const CANONICAL_SUFFIX = sources.CANONICAL_SUFFIX;

type Spec = Record<string, unknown>;
type Check = (spec: Spec) => string | undefined;

const isString = (value: unknown): value is string => typeof value === 'string';
const matches = (value: unknown, regex: RegExp) => isString(value) && regex.test(value);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const COMPONENT: Check[] = [
  (s) =>
    matches(s.version, VERSION) && (s.version as string).length <= 63
      ? undefined
      : 'spec.version must be MAJOR.MINOR.PATCH with an optional undotted pre-release (rule F3)',
  (s) => (matches(s.server, SERVER_ID) ? undefined : 'spec.server must be a lowercase DNS label (rule F2)'),
  (s) =>
    matches(s.domain, DOMAIN_ID) ? undefined : 'spec.domain must be 32 lowercase hex characters (rule F1)',
  (s) =>
    isString(s.image) &&
    new RegExp(
      `^[^/]*/${escape(String(s.domain))}/${escape(String(s.server))}:${escape(String(s.version))}$`,
    ).test(s.image)
      ? undefined
      : 'spec.image must be <registry>/<spec.domain>/<spec.server>:<spec.version> (rules F4, X1)',
];

const SERVER: Check[] = [
  (s) => (matches(s.id, SERVER_ID) ? undefined : 'spec.id must be a lowercase DNS label (rules F2, F13)'),
  (s) =>
    matches(s.domain, DOMAIN_ID)
      ? undefined
      : 'spec.domain must be 32 lowercase hex characters (rules F1, F13)',
  (s) =>
    Array.isArray(s.services) && s.services.length > 0
      ? undefined
      : 'spec.services must not be empty (rule X7)',
  (s) =>
    !Array.isArray(s.services) ||
    s.services.every((x) => matches(x, GRPC_SERVICE) && (x as string).length <= 1024)
      ? undefined
      : 'spec.services must be fully-qualified gRPC service names (rule F5)',
  (s) => {
    const weights = s.versionWeights;
    if (weights === undefined || weights === null) return undefined;
    const valid = Object.entries(weights as Record<string, unknown>).every(
      ([version, weight]) =>
        VERSION.test(version) && typeof weight === 'number' && weight >= 0 && weight <= 1_000_000,
    );
    return valid
      ? undefined
      : 'spec.versionWeights must map versions to weights in [0, 1000000] (rules X5, F12)';
  },
];

const DOMAIN: Check[] = [
  (s) =>
    matches(s.id, DOMAIN_ID) ? undefined : 'spec.id must be 32 lowercase hex characters (rules F1, F13)',
  (s) => (isString(s.vimana) && s.vimana !== '' ? undefined : 'spec.vimana is required (rule F13)'),
  (s) =>
    !Array.isArray(s.aliases) ||
    s.aliases.every(
      (alias) =>
        matches(alias, HOSTNAME) &&
        (alias as string).length <= 253 &&
        (alias as string).includes('.') &&
        !/\.[0-9]+$/.test(alias as string) &&
        !(alias as string).endsWith(CANONICAL_SUFFIX),
    )
      ? undefined
      : 'spec.aliases must be lowercase DNS hostnames outside the canonical suffix (rule F6)',
  (s) => {
    const reflection = (s.grpc as { reflection?: Spec } | undefined)?.reflection;
    return reflection && 'noneBut' in reflection && 'allBut' in reflection
      ? 'spec.grpc.reflection: noneBut and allBut are mutually exclusive (rule X2)'
      : undefined;
  },
];

/** The rules on spec fields, after F13's "spec is required". */
function judgeSpec(checks: Check[]) {
  return (request: PeprValidateRequest<a.GenericKind>) => {
    const spec = request.Raw.spec as Spec | undefined;
    if (spec === undefined || spec === null) return request.Deny('spec is required (rule F13)');
    const problems = checks.map((check) => check(spec)).filter(isString);
    return problems.length === 0 ? request.Approve() : request.Deny(problems.join('; '));
  };
}

export const Vimana = new Capability({
  name: 'vimana',
  description: 'The single-object Vimana rules',
});

const { When } = Vimana;
const kind = (name: string) => ({ group: 'api.vimana.host', version: 'v1alpha1', kind: name });

When(a.GenericKind, kind('Component')).IsCreatedOrUpdated().Validate(judgeSpec(COMPONENT));
When(a.GenericKind, kind('Server')).IsCreatedOrUpdated().Validate(judgeSpec(SERVER));
When(a.GenericKind, kind('Domain')).IsCreatedOrUpdated().Validate(judgeSpec(DOMAIN));
When(a.GenericKind, kind('Vimana'))
  .IsCreatedOrUpdated()
  .Validate((request) => {
    const name = request.Raw.metadata?.name ?? '';
    return VIMANA_NAME.test(name) && name.length <= 55
      ? request.Approve()
      : request.Deny('metadata.name must be a DNS label of at most 55 characters (rule F10)');
  });
