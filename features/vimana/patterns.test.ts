import { describe, expect, it } from 'vitest';
import {
  DOMAIN_ID,
  hostnameProblem,
  imageProblem,
  jwksUrlProblem,
  parseImage,
  SERVER_ID,
  serviceNameProblem,
  versionProblem,
  vimanaNameProblem,
} from './patterns.ts';

// The §6 test vectors, verbatim.
describe('VERSION (F3)', () => {
  const valid = [
    '1.0.0',
    '1.2.3-pre-release',
    '1.2.3-0',
    '1.2.3-123',
    '1.2.3-00a',
    '1.2.3-rc1',
    '1.2.3-1-1',
    '1.2.3-0a1',
    '10.0.456-pre-release5',
  ];
  const invalid = [
    '1.0.00',
    '1.2.3+build',
    '1.2.3-ends-dash-',
    '1.2.3-00',
    '1.2.3-alpha.1',
    'v1',
    '1.2',
    '01.2.3',
    '1.2.3-',
    '1.2.3-007',
    '1.2.3--',
    '1234567890.1234567890.1234567890-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz',
  ];
  it.each(valid)('accepts %s', (version) => expect(versionProblem(version)).toBeUndefined());
  it.each(invalid)('rejects %s', (version) => expect(versionProblem(version)).toBeDefined());

  it('caps versions at 63 characters, the label value limit', () => {
    const at63 = `1.0.0-${'a'.repeat(57)}`;
    expect(versionProblem(at63)).toBeUndefined();
    expect(versionProblem(`${at63}a`)).toBe('must be at most 63 characters');
  });
});

describe('SERVER_ID (F2)', () => {
  const valid = ['simple', 'contains-dash', 'ends-with-digit-1', 'the-adder-server', 'a', 'a'.repeat(63)];
  const invalid = [
    '',
    'contains.period',
    'contains-Capital',
    'contains_underscore',
    '-starts-with-dash',
    '1-starts-with-digit',
    'this-server-name-would-be-too-long-due-to-being-over-sixty-three',
  ];
  it.each(valid)('accepts %s', (id) => expect(SERVER_ID.test(id)).toBe(true));
  it.each(invalid)('rejects %j', (id) => expect(SERVER_ID.test(id)).toBe(false));
});

describe('DOMAIN_ID (F1)', () => {
  it.each(['1234567890abcdef0f9ed8c7654b32a1', '00000000000000000000000000000001'])('accepts %s', (id) =>
    expect(DOMAIN_ID.test(id)).toBe(true),
  );
  it.each([
    '1234567890abcdef1234567890abcde',
    '1234567890abcdef1234567890abcdef1',
    '1234567890ABCDEF1234567890ABCDEF',
  ])('rejects %s', (id) => expect(DOMAIN_ID.test(id)).toBe(false));
});

describe('image (F4)', () => {
  it('splits like the runtime, the registry keeping its port', () => {
    expect(
      parseImage('host.minikube.internal:5000/00000000000000000000000000000001/the-adder-server:1.0.0'),
    ).toEqual({
      registry: 'host.minikube.internal:5000',
      domain: '00000000000000000000000000000001',
      server: 'the-adder-server',
      version: '1.0.0',
    });
  });

  it.each([
    ['gcr.io/some/image:latest', '"some" is no domain id'],
    ['registry.example.com/acme/3f2a9c1e7b5d40a8912e6c0d4b7a1f35/payments:1.4.0', '"acme" is no domain id'],
    ['https://registry.example.com/3f2a9c1e7b5d40a8912e6c0d4b7a1f35/payments:1.4.0', '"" is no domain id'],
    [
      'registry.example.com/3f2a9c1e7b5d40a8912e6c0d4b7a1f35/payments@sha256:abc',
      '"payments@sha256" is no server id',
    ],
    ['registry.example.com/3f2a9c1e7b5d40a8912e6c0d4b7a1f35/payments:v1', '"v1" is no version'],
    [
      '/3f2a9c1e7b5d40a8912e6c0d4b7a1f35/payments:1.0.0',
      'must be <registry>/<domainId>/<serverId>:<version>',
    ],
    ['payments:1.0.0', 'must be <registry>/<domainId>/<serverId>:<version>'],
  ])('rejects %s, naming the part', (image, expected) => expect(imageProblem(image)).toContain(expected));
});

describe('hostnames (F6, F7)', () => {
  it.each(['api.example.com', 'api.vimana.host', 'a-b.c1.example'])('accepts %s', (hostname) =>
    expect(hostnameProblem(hostname)).toBeUndefined(),
  );
  it.each([
    ['API.Example.com', 'lowercase DNS hostname'],
    ['https://api.example.com', 'lowercase DNS hostname'],
    ['api.example.com:443', 'lowercase DNS hostname'],
    ['10.0.0.1', 'not an IP address'],
    ['*.example.com', 'not a wildcard'],
    ['foo.app.vimana.host', 'reserved for canonical hostnames'],
    ['localhost', 'at least one dot'],
    [`${'a'.repeat(64)}.example.com`, 'labels of at most 63'],
    [`${'a.'.repeat(127)}com`, 'at most 253'],
  ])('rejects %s', (hostname, expected) => expect(hostnameProblem(hostname)).toContain(expected));
});

describe('other formats', () => {
  it('service names need a package (F5)', () => {
    expect(serviceNameProblem('foo.bar.AdderService')).toBeUndefined();
    for (const name of [
      'AdderService',
      'foo/bar.Service',
      'foo.bar.Service.Method/x',
      '1foo.Bar',
      '_package.X',
    ])
      expect(serviceNameProblem(name)).toBeDefined();
    expect(serviceNameProblem(`a.${'b'.repeat(1023)}`)).toBe('must be at most 1024 characters');
  });

  it('Vimana names leave room for -gateway (F10)', () => {
    expect(vimanaNameProblem('a'.repeat(55))).toBeUndefined();
    expect(vimanaNameProblem('a'.repeat(56))).toBeDefined();
    expect(vimanaNameProblem('My.Vimana')).toBeDefined();
  });

  it('JWKS entries are absolute http(s) URLs (F8)', () => {
    expect(jwksUrlProblem('https://auth.example.com/.well-known/jwks.json')).toBeUndefined();
    expect(jwksUrlProblem('http://auth.example.com/jwks')).toBeUndefined();
    expect(jwksUrlProblem('auth.example.com/jwks')).toBeDefined();
    expect(jwksUrlProblem('ftp://auth.example.com/jwks')).toBeDefined();
  });
});
