/**
 * Rules across the fields of one object (vimana-invariants.md §2.2 X1, X4-X7, and §5 A1). The reflection
 * rules X2, X3 and X8 live in `reflection.ts`.
 */
import { readPath, readRecord, readString } from '../fields.ts';
import { clip, isRecord } from '../../../pkg/json/json-value.ts';
import { versionWeights } from '../derived.ts';
import { domainIdProblem, imageProblem, parseImage, versionProblem } from '../patterns.ts';
import type { Finding } from '../violation.ts';
import { mapKeyRule, uniqueEntriesRule, WRITES, type VimanaRule } from './rule.ts';

/**
 * X1: the runtime compares the identity in the image with the pod labels, which come from the spec, and
 * fails the pull on a mismatch (`Pod label mismatch`). Only a well-formed image is compared; F4 reports
 * the others.
 */
const imageIdentity: VimanaRule = {
  name: 'image-matches-spec',
  rule: 'X1',
  kinds: ['Component'],
  operations: WRITES,
  severity: 'deny',
  description: 'The domain, server and version in the image equal spec.domain, spec.server and spec.version',
  check: ({ object }) => {
    const image = readString(object, 'spec.image');
    const parsed = image !== undefined && imageProblem(image) === undefined ? parseImage(image) : undefined;
    if (!parsed) return [];
    const parts = [
      ['domain', parsed.domain, 'spec.domain'],
      ['server', parsed.server, 'spec.server'],
      ['version', parsed.version, 'spec.version'],
    ] as const;
    return parts.flatMap(([part, fromImage, field]): Finding[] => {
      const fromSpec = readString(object, field);
      if (fromSpec === undefined || fromSpec === fromImage) return [];
      const expected = `${part} ${JSON.stringify(fromImage)} must equal ${field} ${JSON.stringify(clip(fromSpec, 40))}`;
      return [{ path: 'spec.image', value: image, expected }];
    });
  },
};

/** X4: a repeated alias gives two Gateway listeners one name, which the Gateway rejects for every Domain. */
const uniqueHostnamesAndServices = uniqueEntriesRule(
  {
    name: 'unique-aliases-and-services',
    rule: 'X4',
    severity: 'deny',
    description: 'A Domain repeats no alias and a Server no service',
  },
  { Domain: ['spec.aliases'], Server: ['spec.services'] },
);

const uniqueOtherEntries = uniqueEntriesRule(
  {
    name: 'unique-list-entries',
    rule: 'X4',
    severity: 'warn',
    description: 'Regions, failover names and JWKS URLs are not repeated',
  },
  { Vimana: ['spec.regions'], Domain: ['spec.regions', 'spec.failover'], Server: ['spec.auth.jwks'] },
);

/** X5: a key that is no version can never match a Component, whose version must pass F3. */
const weightKeys = mapKeyRule(
  {
    name: 'weight-key-version',
    rule: 'X5',
    severity: 'deny',
    description: 'Every versionWeights key is a valid version',
  },
  { Server: ['spec.versionWeights'] },
  versionProblem,
);

/** X6: weights are relative (no sum rule, N1), but if every one is 0 the Server receives nothing. */
const someWeight: VimanaRule = {
  name: 'some-positive-weight',
  rule: 'X6',
  kinds: ['Server'],
  operations: WRITES,
  severity: 'warn',
  description: 'A non-empty versionWeights gives at least one version a weight above 0',
  check: ({ object }) => {
    const weights = versionWeights(object);
    if (weights.length === 0 || weights.some(([, weight]) => weight > 0)) return [];
    const value = readPath(object, 'spec.versionWeights');
    return [{ path: 'spec.versionWeights', value, expected: 'should give some version a weight above 0' }];
  },
};

/** Absent, null, `[]` or `{}`. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

/** A Server field that must hold something; a Server without spec is F13's to report. */
function nonEmptyRule(
  header: Pick<VimanaRule, 'name' | 'severity' | 'description'>,
  field: 'services' | 'versionWeights',
  expected: string,
): VimanaRule {
  return {
    ...header,
    rule: 'X7',
    kinds: ['Server'],
    operations: WRITES,
    check: ({ object }) => {
      const path = `spec.${field}`;
      const value = readPath(object, path);
      if (!readRecord(object, 'spec') || !isEmpty(value)) return [];
      return [{ path, value, expected }];
    },
  };
}

/** X7: the operator emits one route rule per Server; a rule without matches matches every request. */
const someService = nonEmptyRule(
  {
    name: 'services-not-empty',
    severity: 'deny',
    description:
      "A Server lists at least one service, or its route rule captures all of the Domain's traffic",
  },
  'services',
  "must list at least one service, or the Server captures all of the Domain's traffic",
);

/** A route rule without backends fails every request it matches. */
const someVersion = nonEmptyRule(
  {
    name: 'version-weights-not-empty',
    severity: 'warn',
    description: 'A Server weights at least one version, or its route rule has no backends',
  },
  'versionWeights',
  'should weight at least one version, or requests to its services fail',
);

/**
 * A1: the operator's Server watch fetches the Domain by name = id (`domain_controller.go:203`), but the
 * project's own e2e manifest names its Domain otherwise, so this only warns.
 */
const domainNamedById: VimanaRule = {
  name: 'domain-name-is-id',
  rule: 'A1',
  kinds: ['Domain'],
  operations: WRITES,
  severity: 'warn',
  description: 'A Domain is named after its spec.id, as the operator looks it up',
  check: ({ object }) => {
    const name = readString(object, 'metadata.name');
    const id = readString(object, 'spec.id');
    if (name === undefined || id === undefined || domainIdProblem(id) !== undefined || name === id) return [];
    return [
      {
        path: 'metadata.name',
        value: name,
        expected: `should equal spec.id ${JSON.stringify(id)}, the name the operator looks up`,
      },
    ];
  },
};

export const consistencyRules: readonly VimanaRule[] = [
  imageIdentity,
  uniqueHostnamesAndServices,
  uniqueOtherEntries,
  weightKeys,
  someWeight,
  someService,
  someVersion,
  domainNamedById,
];
