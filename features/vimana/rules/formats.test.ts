import { describe, expect, it } from 'vitest';
import { acme, DOMAIN_ID, variant, checker } from '../../../test/support/vimana/fixtures.ts';
import { formatRules } from './formats.ts';

const check = checker(formatRules);
const IMAGE = `registry.example.com/${DOMAIN_ID}/payments:1.4.0`;

describe('format rules F1-F13', () => {
  it('pass every §4.1 acme fixture', () => {
    for (const kind of ['Vimana', 'Domain', 'Server', 'Component'])
      expect(check(acme(kind))).toEqual({ denials: [], warnings: [] });
  });

  it('F1: Domain ids and the references to them are 32 lowercase hex characters', () => {
    expect(check(variant('Domain', { id: '0123456789ABCDEF0123456789ABCDEF' })).denials).toEqual([
      'spec.id "0123456789ABCDEF0123456789ABCDEF": must be 32 lowercase hex characters (rule F1)',
    ]);
    expect(check(variant('Server', { domain: 'd7bd258f-46ff-4fb4-a02d-efa4d096f810' })).denials).toEqual([
      'spec.domain "d7bd258f-46ff-4fb4-a02d-efa4d096f810": must be 32 lowercase hex characters (rule F1)',
    ]);
    expect(check(variant('Domain', { id: '00000000000000000000000000000001' })).denials).toEqual([]);
  });

  it('F2: Server ids are lowercase labels of at most 63 characters', () => {
    expect(check(variant('Server', { id: 'My_Server' })).denials).toEqual([
      'spec.id "My_Server": must be 1-63 lowercase letters, digits or dashes, starting with a letter and not ending with a dash (rule F2)',
    ]);
    expect(check(variant('Component', { server: 'x-', image: IMAGE })).denials[0]).toMatch(
      /^spec.server "x-": .*\(rule F2\)$/,
    );
    expect(check(variant('Server', { id: 'a' })).denials).toEqual([]);
  });

  it('F3: versions are restricted SemVer', () => {
    expect(check(variant('Component', { version: '1.2.3-alpha.1' })).denials).toEqual([
      'spec.version "1.2.3-alpha.1": must be MAJOR.MINOR.PATCH with an optional undotted pre-release, no build metadata (rule F3)',
    ]);
    expect(check(variant('Component', { version: '1.2.3-00a' })).denials).toEqual([]);
  });

  it('F4: images name the registry, domain, server and version', () => {
    expect(check(variant('Component', { image: 'gcr.io/some/image:latest' })).denials).toEqual([
      'spec.image "gcr.io/some/image:latest": must be <registry>/<domainId>/<serverId>:<version>; "some" is no domain id (rule F4)',
    ]);
    expect(
      check(variant('Component', { image: `localhost:5000/${DOMAIN_ID}/payments:1.4.0` })).denials,
    ).toEqual([]);
  });

  it('F5: services are fully-qualified, and the list is a list', () => {
    expect(
      check(variant('Server', { services: ['acme.payments.v1.PaymentService', 'AdderService', 7] })).denials,
    ).toEqual([
      'spec.services[1] "AdderService": must be a fully-qualified gRPC service name such as package.Service (rule F5)',
      'spec.services[2] 7: must be a string (rule F5)',
    ]);
    expect(check(variant('Server', { services: 'a.B' })).denials).toEqual([
      'spec.services "a.B": must be a list of strings (rule F5)',
    ]);
    expect(check(variant('Server', { services: ['x.Y'] })).denials).toEqual([]);
  });

  it('F6/F7: aliases and failover names are concrete lowercase hostnames', () => {
    const { denials } = check(
      variant('Domain', { aliases: ['API.Example.com', '*.example.com'], failover: ['10.0.0.1'] }),
    );
    expect(denials).toEqual([
      'spec.aliases[0] "API.Example.com": must be a lowercase DNS hostname without scheme, port or path (rule F6)',
      'spec.aliases[1] "*.example.com": must be a concrete hostname, not a wildcard (rule F6)',
      'spec.failover[0] "10.0.0.1": must be a hostname, not an IP address (rule F7)',
    ]);
    expect(
      check(variant('Domain', { aliases: Array.from({ length: 15 }, (_, i) => `a${i}.example.com`) }))
        .denials,
    ).toEqual([]);
  });

  it('F8: JWKS entries are absolute URLs, and http only warns', () => {
    const result = check(
      variant('Server', { auth: { jwks: ['auth.example.com/jwks', 'http://auth.example.com/jwks'] } }),
    );
    expect(result.denials).toEqual([
      'spec.auth.jwks[0] "auth.example.com/jwks": must be an absolute https:// URL (rule F8)',
    ]);
    expect(result.warnings).toEqual([
      'spec.auth.jwks[1] "http://auth.example.com/jwks": should be an https:// URL (rule F8)',
    ]);
  });

  it('F9: regions are <provider>/<region>, warned only', () => {
    const result = check(variant('Vimana', { regions: ['us-east', '/us-east', 'all/eu'] }));
    expect(result).toEqual({
      denials: [],
      warnings: [
        'spec.regions[0] "us-east": should be <provider>/<region> in lowercase, e.g. aws/us-east or /us-east (rule F9)',
      ],
    });
  });

  it('F10: Vimana names, and Domain references to them, fit <name>-gateway', () => {
    const long = acme('Vimana');
    long.metadata = { ...long.metadata, name: 'v'.repeat(56) };
    expect(check(long).denials).toEqual([
      `metadata.name "${'v'.repeat(56)}": must be a lowercase DNS label of at most 55 characters, as <name>-gateway names a Service (rule F10)`,
    ]);
    expect(check(variant('Domain', { vimana: 'My.Vimana' })).denials[0]).toMatch(
      /^spec.vimana "My.Vimana": .*\(rule F10\)$/,
    );
    expect(check(variant('Domain', { vimana: 'v'.repeat(55) })).denials).toEqual([]);
  });

  it('F11: feature flag names are kebab-case, warned only', () => {
    expect(check(variant('Server', { features: { New_Checkout: {} } }))).toEqual({
      denials: [],
      warnings: [
        'spec.features["New_Checkout"] "New_Checkout": key should be a kebab-case feature flag name (rule F11)',
      ],
    });
  });

  it('F12: weights are integers from 0 to 1000000', () => {
    const { denials } = check(
      variant('Server', {
        versionWeights: { '1.0.0': -1, '1.1.0': 2_000_000, '1.2.0': 0.5, '1.3.0': 1_000_000 },
      }),
    );
    expect(denials).toEqual([
      'spec.versionWeights["1.0.0"] -1: must be an integer from 0 to 1000000 (rule F12)',
      'spec.versionWeights["1.1.0"] 2000000: must be an integer from 0 to 1000000 (rule F12)',
      'spec.versionWeights["1.2.0"] 0.5: must be an integer from 0 to 1000000 (rule F12)',
    ]);
    expect(check(variant('Server', { versionWeights: [] })).denials).toEqual([
      'spec.versionWeights []: must be a map from version to weight (rule F12)',
    ]);
  });

  it('F13: spec and its required strings are present; an empty string gets its format message', () => {
    const sample = {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'domain-sample', namespace: 'acme' },
    };
    expect(check(sample).denials).toEqual(['spec (absent): is required: an object (rule F13)']);
    expect(check(variant('Server', { id: undefined, domain: 5 })).denials).toEqual([
      'spec.id (absent): is required (rule F13)',
      'spec.domain 5: must be a string (rule F13)',
    ]);
    expect(check(variant('Domain', { id: '' })).denials).toEqual([
      'spec.id "": must be 32 lowercase hex characters (rule F1)',
    ]);
    // A Vimana has no required field.
    expect(check({ ...acme('Vimana'), spec: undefined }).denials).toEqual([]);
  });
});
