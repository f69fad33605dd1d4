import { describe, expect, it } from 'vitest';
import { ACME, clusterOf, variant, checker } from '../../../test/support/vimana/fixtures.ts';
import { limitRules } from './limits.ts';

const check = checker(limitRules);
const hostnames = (count: number, prefix = 'a') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}.example.com`);
const services = (count: number, prefix = 'svc') =>
  Array.from({ length: count }, (_, i) => `acme.${prefix}.v1.S${i}`);
const servers = (count: number, each = 1) =>
  Array.from({ length: count }, (_, i) =>
    variant('Server', { id: `s${i}`, services: services(each, `s${i}`) }, `s${i}`),
  );

describe('Gateway API capacity limits (§2.6)', () => {
  it('L1: at most 15 aliases per Domain', () => {
    expect(check(variant('Domain', { aliases: hostnames(15) })).denials).toEqual([]);
    expect(check(variant('Domain', { aliases: hostnames(16) })).denials[0]).toMatch(
      /^spec.aliases \[.*: has 16 aliases; a GRPCRoute holds 15 next to the canonical hostname \(rule L1\)$/,
    );
  });

  it('L2: at most 16 Servers per Domain', () => {
    const fifteen = clusterOf([...ACME.filter((object) => object.kind !== 'Server'), ...servers(15)]);
    expect(
      check(variant('Server', { id: 'last', services: ['acme.last.v1.S'] }, 'last'), fifteen).denials,
    ).toEqual([]);
    const sixteen = clusterOf([...ACME.filter((object) => object.kind !== 'Server'), ...servers(16)]);
    expect(
      check(variant('Server', { id: 'last', services: ['acme.last.v1.S'] }, 'last'), sixteen).denials,
    ).toEqual([
      'spec.domain "3f2a9c1e7b5d40a8912e6c0d4b7a1f35": would get its Server number 17; a GRPCRoute holds at most 16 rules (rule L2)',
    ]);
  });

  it('L3: at most 64 services per Server', () => {
    expect(check(variant('Server', { services: services(64) })).denials).toEqual([]);
    expect(check(variant('Server', { services: services(65) })).denials[0]).toMatch(
      /has 65 services; .* \(rule L3\)$/,
    );
  });

  it('L4: at most 128 services over the Servers of a Domain', () => {
    const view = clusterOf([...ACME.filter((object) => object.kind !== 'Server'), ...servers(2, 64)]);
    expect(
      check(variant('Server', { id: 'last', services: ['acme.last.v1.S'] }, 'last'), view).denials,
    ).toEqual([
      'spec.services ["acme.last.v1.S"]: would bring its Domain to 129 services; a GRPCRoute matches at most 128 (rule L4)',
    ]);
    const roomy = clusterOf([...ACME.filter((object) => object.kind !== 'Server'), ...servers(2, 63)]);
    expect(
      check(variant('Server', { id: 'last', services: services(2, 'last') }, 'last'), roomy).denials,
    ).toEqual([]);
  });

  it('L5: at most 16 weighted versions per Server', () => {
    const weights = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`1.${i}.0`, 1]));
    expect(check(variant('Server', { versionWeights: weights(16) })).denials).toEqual([]);
    expect(check(variant('Server', { versionWeights: weights(17) })).denials[0]).toMatch(
      /has 17 versions; .* \(rule L5\)$/,
    );
  });

  it('L6: at most 64 Gateway listeners over the Domains of a namespace', () => {
    // The acme Domain brings 3 hostnames, three more Domains 16 each and a fourth 13: 64 in all.
    const others = [15, 15, 15, 12].map((aliases, i) =>
      variant('Domain', { id: `${i}`.repeat(32), aliases: hostnames(aliases, `d${i}-`) }, `d${i}`),
    );
    const last = variant('Domain', { id: 'e'.repeat(32), aliases: undefined }, 'last');
    expect(check(last, clusterOf([...ACME, ...others])).denials).toEqual([
      'spec.aliases (absent): would bring the namespace to 65 Gateway listeners; a Gateway has at most 64 (rule L6)',
    ]);
    expect(check(last, clusterOf([...ACME, ...others.slice(1)])).denials).toEqual([]);
  });
});
