import { describe, expect, it } from 'vitest';
import {
  canonicalHostname,
  componentName,
  deploymentName,
  gatewayName,
  listenerName,
  serviceName,
  tlsSecretName,
} from './names.ts';

const ID = '0123456789abcdef0123456789abcdef';

// §1.6, from the operator's own tests.
describe('derived names (SHA-224)', () => {
  it('names the Deployment and Service of a Component', () => {
    const name = componentName(ID, 'some-id', '1.2.3');
    expect(name).toBe('0123456789abcdef0123456789abcdef:some-id@1.2.3');
    expect(deploymentName(name)).toBe('d-0c926b460f60a71c433dc53f2f30380071982d6d845693c2180f16af');
    expect(serviceName(name)).toBe('s-0c926b460f60a71c433dc53f2f30380071982d6d845693c2180f16af');
  });

  it.each([
    ['my-server', '1.0.0', 's-d69370231670aee9de1c6577abeff97735b4ee1b12365f4a94158653'],
    ['my-server', '2.1.0', 's-4b691f75c60a7dd2bb301c485fbd5df8a995792ee5c4cbe48af8c262'],
    ['a-servier-server', '1.1.1', 's-d165862d33209d230ab761a64a563bd475dad7ed281122b8d07c4cf7'],
    ['a-servier-server', '2.2.2', 's-7eade10975f18214cfc46de6e6870d653f480137851020cc6e8972f9'],
  ])('names the Service of %s@%s', (server, version, expected) =>
    expect(serviceName(componentName(ID, server, version))).toBe(expected),
  );

  it.each([
    [canonicalHostname(ID), 'l-2faea48d4e045fe446ced7b27c43b8b700df1dc879a010aa2eef1b1b'],
    ['example.com', 'l-79a39cdf648170c4d55ca8e36fc9084353b9114a879f07d08bceaf47'],
    ['foo.bar.whatsittoyouz.net', 'l-92ab40422e6b25e262ad453164d1cf7641a70c43e4f0f73b9da4547d'],
  ])('names the listener of %s', (hostname, expected) => {
    expect(listenerName(hostname)).toBe(expected);
    expect(tlsSecretName(hostname)).toBe(`c-${expected.slice(2)}`);
  });

  it('names the canonical hostname and the Gateway', () => {
    expect(canonicalHostname(ID)).toBe('0123456789abcdef0123456789abcdef.app.vimana.host');
    expect(gatewayName('the-vimana')).toBe('the-vimana-gateway');
  });
});
