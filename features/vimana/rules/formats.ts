/**
 * F1-F13: the format of one field at a time (vimana-invariants.md §2.1).
 *
 * A reference is held to the format of what it references (a Server's `spec.domain` to F1, a Component's
 * `spec.server` to F2, a Domain's `spec.vimana` to F10): the operator and the runtime put these values into
 * labels and object names, so a malformed one fails there with a far worse message than ours.
 */
import { keyPath, listEntries, readPath } from '../fields.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';
import { isValidWeight, MAX_WEIGHT } from '../derived.ts';
import {
  domainIdProblem,
  featureKeyProblem,
  hostnameProblem,
  imageProblem,
  jwksUrlProblem,
  regionProblem,
  serverIdProblem,
  serviceNameProblem,
  versionProblem,
  vimanaNameProblem,
} from '../patterns.ts';
import type { VimanaKind } from '../types.ts';
import type { Finding } from '../violation.ts';
import { formatRule, mapKeyRule, WRITES, type VimanaRule } from './rule.ts';

const domainId = formatRule(
  {
    name: 'domain-id-format',
    rule: 'F1',
    severity: 'deny',
    description: 'Domain ids, and references to them, are 32 lowercase hex characters',
  },
  { Domain: ['spec.id'], Server: ['spec.domain'], Component: ['spec.domain'] },
  domainIdProblem,
);

const serverId = formatRule(
  {
    name: 'server-id-format',
    rule: 'F2',
    severity: 'deny',
    description: 'Server ids, and references to them, are lowercase RFC 1035 labels of at most 63 characters',
  },
  { Server: ['spec.id'], Component: ['spec.server'] },
  serverIdProblem,
);

const version = formatRule(
  {
    name: 'version-format',
    rule: 'F3',
    severity: 'deny',
    description:
      'Component versions are SemVer without build metadata or dotted pre-release, at most 63 characters',
  },
  { Component: ['spec.version'] },
  versionProblem,
);

const image = formatRule(
  {
    name: 'image-format',
    rule: 'F4',
    severity: 'deny',
    description: 'Component images are <registry>/<domainId>/<serverId>:<version>',
  },
  { Component: ['spec.image'] },
  imageProblem,
);

const serviceNames = formatRule(
  {
    name: 'service-name-format',
    rule: 'F5',
    severity: 'deny',
    description: 'Server services are fully-qualified gRPC service names',
  },
  { Server: ['spec.services[]'] },
  serviceNameProblem,
);

const aliases = formatRule(
  {
    name: 'alias-format',
    rule: 'F6',
    severity: 'deny',
    description: 'Domain aliases are concrete lowercase DNS hostnames outside .app.vimana.host',
  },
  { Domain: ['spec.aliases[]'] },
  hostnameProblem,
);

const failover = formatRule(
  {
    name: 'failover-format',
    rule: 'F7',
    severity: 'deny',
    description: 'Domain failover entries are domain names, by the alias rule',
  },
  { Domain: ['spec.failover[]'] },
  hostnameProblem,
);

const jwksUrls = formatRule(
  {
    name: 'jwks-url',
    rule: 'F8',
    severity: 'deny',
    description: 'Server JWKS entries are absolute http(s) URLs',
  },
  { Server: ['spec.auth.jwks[]'] },
  jwksUrlProblem,
);

const jwksHttps: VimanaRule = {
  name: 'jwks-https',
  rule: 'F8',
  kinds: ['Server'],
  operations: WRITES,
  severity: 'warn',
  description: 'Server JWKS entries should use https, or keys can be swapped in transit',
  check: ({ object }) =>
    listEntries(object, 'spec.auth.jwks')
      .filter(({ value }) => value.startsWith('http://'))
      .map(({ path, value }) => ({ path, value, expected: 'should be an https:// URL' })),
};

const regions = formatRule(
  {
    name: 'region-format',
    rule: 'F9',
    severity: 'warn',
    description: 'Regions are <provider>/<region>, the provider possibly empty',
  },
  { Vimana: ['spec.regions[]'], Domain: ['spec.regions[]'] },
  regionProblem,
);

const vimanaName = formatRule(
  {
    name: 'vimana-name-format',
    rule: 'F10',
    severity: 'deny',
    description: 'Vimana names, and references to them, leave room for the <name>-gateway Service name',
  },
  { Vimana: ['metadata.name'], Domain: ['spec.vimana'] },
  vimanaNameProblem,
);

const featureKeys = mapKeyRule(
  {
    name: 'feature-key-format',
    rule: 'F11',
    severity: 'warn',
    description: 'Server feature flag names are kebab-case',
  },
  { Server: ['spec.features'] },
  featureKeyProblem,
);

const weightRange: VimanaRule = {
  name: 'weight-range',
  rule: 'F12',
  kinds: ['Server'],
  operations: WRITES,
  severity: 'deny',
  description: `Server version weights are integers from 0 to ${MAX_WEIGHT}, the Gateway API backendRef bounds`,
  check: ({ object }) => {
    const path = 'spec.versionWeights';
    const map = readPath(object, path);
    if (map === undefined || map === null) return [];
    if (!isRecord(map)) return [{ path, value: map, expected: 'must be a map from version to weight' }];
    return Object.entries(map)
      .filter(([, weight]) => !isValidWeight(weight))
      .map(([key, weight]) => ({
        path: keyPath(path, key),
        value: weight,
        expected: `must be an integer from 0 to ${MAX_WEIGHT}`,
      }));
  },
};

/** The strings the CRD marks `required`; it checks only that the key exists, so `""` passes it. */
const REQUIRED_FIELDS: Record<VimanaKind, readonly string[]> = {
  Vimana: [],
  Domain: ['id', 'vimana'],
  Server: ['id', 'domain'],
  Component: ['version', 'server', 'domain', 'image'],
};

/**
 * F13 reports what is missing or not a string. An empty string is reported by the field's format rule
 * (every required field has one), so that one mistake gives one message that says what to write.
 */
const required: VimanaRule = {
  name: 'required-fields',
  rule: 'F13',
  kinds: ['Domain', 'Server', 'Component'],
  operations: WRITES,
  severity: 'deny',
  description: 'spec and its required strings are present (the CRD schema accepts an object without spec)',
  check: ({ kind, object }) => {
    const spec = readPath(object, 'spec');
    if (!isRecord(spec)) return [{ path: 'spec', value: spec, expected: 'is required: an object' }];
    return REQUIRED_FIELDS[kind].flatMap((field): Finding[] => {
      const value = readPath(spec, field);
      return typeof value === 'string'
        ? []
        : [
            {
              path: `spec.${field}`,
              value,
              expected: value === undefined ? 'is required' : 'must be a string',
            },
          ];
    });
  },
};

export const formatRules: readonly VimanaRule[] = [
  domainId,
  serverId,
  version,
  image,
  serviceNames,
  aliases,
  failover,
  jwksUrls,
  jwksHttps,
  regions,
  vimanaName,
  featureKeys,
  weightRange,
  required,
];
