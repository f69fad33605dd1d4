/**
 * The single-object Vimana rules CEL can express, in CEL, once: the admission scenario's
 * ValidatingAdmissionPolicies (kube-apiserver in process), Kyverno's ClusterPolicy (validate.cel) and
 * Gatekeeper's K8sNativeValidation template all evaluate these very expressions.
 *
 * Covered: F1 F2 F3 F4/X1 F5 F6 F10 F12 F13 X2 X5 X7, with the very patterns prismgate uses (RE2 accepts
 * them as they are). Not expressible here, so only prismgate has them: the cross-resource rules R1-R12
 * (they read other objects), immutability I1-I5 and deletion D1-D4 with prismgate's ratcheting, the
 * uniqueness of list entries (quadratic in CEL), the mutations and the computed status.
 */
import {
  CANONICAL_SUFFIX,
  DOMAIN_ID,
  GRPC_SERVICE,
  HOSTNAME,
  SERVER_ID,
  VERSION,
  VIMANA_NAME,
} from '../../features/vimana/patterns.ts';

/** What the benchmark's rules cover, for the report. */
export const CEL_COVERS = 'F1 F2 F3 F4/X1 F5 F6 F10 F12 F13 X2 X5 X7';

/** A CEL string literal of a pattern (single-quoted, backslashes doubled). */
const pattern = (regex: RegExp) => `'${regex.source.replaceAll('\\', '\\\\')}'`;

export interface Validation {
  expression: string;
  message: string;
}

const SPEC: Validation = { expression: 'has(object.spec)', message: 'spec is required (rule F13)' };
/** Rules on spec fields hold vacuously without a spec; SPEC reports that once. */
const onSpec = (expression: string) => `!has(object.spec) || (${expression})`;

export interface KindRules {
  kind: string;
  resource: string;
  validations: Validation[];
}

/** By the kind's lowercase name. */
export const CEL_RULES: Record<string, KindRules> = {
  component: {
    kind: 'Component',
    resource: 'components',
    validations: [
      SPEC,
      {
        expression: onSpec(
          `object.spec.version.matches(${pattern(VERSION)}) && size(object.spec.version) <= 63`,
        ),
        message: 'spec.version must be MAJOR.MINOR.PATCH with an optional undotted pre-release (rule F3)',
      },
      {
        expression: onSpec(`object.spec.server.matches(${pattern(SERVER_ID)})`),
        message: 'spec.server must be a lowercase DNS label (rule F2)',
      },
      {
        expression: onSpec(`object.spec.domain.matches(${pattern(DOMAIN_ID)})`),
        message: 'spec.domain must be 32 lowercase hex characters (rule F1)',
      },
      {
        expression: onSpec(
          "object.spec.image.matches('^[^/]*/' + object.spec.domain + '/' + object.spec.server + ':' + object.spec.version + '$')",
        ),
        message: 'spec.image must be <registry>/<spec.domain>/<spec.server>:<spec.version> (rules F4, X1)',
      },
    ],
  },
  server: {
    kind: 'Server',
    resource: 'servers',
    validations: [
      SPEC,
      {
        expression: onSpec(`object.spec.id.matches(${pattern(SERVER_ID)})`),
        message: 'spec.id must be a lowercase DNS label (rules F2, F13)',
      },
      {
        expression: onSpec(`object.spec.domain.matches(${pattern(DOMAIN_ID)})`),
        message: 'spec.domain must be 32 lowercase hex characters (rules F1, F13)',
      },
      {
        expression: onSpec('has(object.spec.services) && size(object.spec.services) > 0'),
        message: 'spec.services must not be empty (rule X7)',
      },
      {
        expression: onSpec(
          `!has(object.spec.services) || object.spec.services.all(s, s.matches(${pattern(GRPC_SERVICE)}) && size(s) <= 1024)`,
        ),
        message: 'spec.services must be fully-qualified gRPC service names (rule F5)',
      },
      {
        expression: onSpec(
          `!has(object.spec.versionWeights) || object.spec.versionWeights.all(v, v.matches(${pattern(VERSION)}) && object.spec.versionWeights[v] >= 0 && object.spec.versionWeights[v] <= 1000000)`,
        ),
        message: 'spec.versionWeights must map versions to weights in [0, 1000000] (rules X5, F12)',
      },
    ],
  },
  domain: {
    kind: 'Domain',
    resource: 'domains',
    validations: [
      SPEC,
      {
        expression: onSpec(`object.spec.id.matches(${pattern(DOMAIN_ID)})`),
        message: 'spec.id must be 32 lowercase hex characters (rules F1, F13)',
      },
      { expression: onSpec("object.spec.vimana != ''"), message: 'spec.vimana is required (rule F13)' },
      {
        expression: onSpec(
          `!has(object.spec.aliases) || object.spec.aliases.all(a, a.matches(${pattern(HOSTNAME)}) && size(a) <= 253 && a.contains('.') && !a.matches('[.][0-9]+$') && !a.endsWith('${CANONICAL_SUFFIX}'))`,
        ),
        message: 'spec.aliases must be lowercase DNS hostnames outside the canonical suffix (rule F6)',
      },
      {
        expression: onSpec(
          '!has(object.spec.grpc) || !has(object.spec.grpc.reflection) || !(has(object.spec.grpc.reflection.noneBut) && has(object.spec.grpc.reflection.allBut))',
        ),
        message: 'spec.grpc.reflection: noneBut and allBut are mutually exclusive (rule X2)',
      },
    ],
  },
  vimana: {
    kind: 'Vimana',
    resource: 'vimanas',
    validations: [
      {
        expression: `object.metadata.name.matches(${pattern(VIMANA_NAME)}) && size(object.metadata.name) <= 55`,
        message: 'metadata.name must be a DNS label of at most 55 characters (rule F10)',
      },
    ],
  },
};
