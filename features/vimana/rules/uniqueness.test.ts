import { describe, expect, it } from 'vitest';
import { LABEL_DOMAIN } from '../names.ts';
import {
  ACME,
  acme,
  clusterOf,
  DOMAIN_ID,
  NAMESPACE,
  variant,
  checker,
} from '../../../test/support/vimana/fixtures.ts';
import { uniquenessRules } from './uniqueness.ts';

const check = checker(uniquenessRules);

describe('uniqueness across resources', () => {
  it('every acme object, updated in place, conflicts with nothing (the object itself is excluded)', () => {
    for (const object of ACME) expect(check(object, clusterOf(ACME), 'UPDATE').denials).toEqual([]);
  });

  it('R5: a Server id is unique within its Domain, whatever the metadata.name', () => {
    expect(check(variant('Server', { services: ['acme.other.v1.X'] }, 'payments-2')).denials).toEqual([
      'spec.id "payments": must be unique in its Domain; Server payments already has it (rule R5)',
    ]);
    // Another Domain may reuse the id.
    expect(check(variant('Server', { domain: 'f'.repeat(32) }, 'payments-2')).denials).toEqual([]);
  });

  it('R5/R7: a Server belongs to a Domain by its label too, as the operator selects it', () => {
    const labelled = {
      ...variant('Server', { domain: 'f'.repeat(32), services: ['acme.other.v1.X'] }, 'legacy'),
    };
    labelled.metadata = { ...labelled.metadata, labels: { [LABEL_DOMAIN]: DOMAIN_ID } };
    const view = clusterOf([...ACME, labelled]);
    expect(
      check(variant('Server', { id: 'payments', services: ['acme.other.v1.X'] }, 'new'), view).denials,
    ).toContain('spec.services[0] "acme.other.v1.X": is already served by Server payments (rule R7)');
  });

  it('R6: a version is unique for its Server', () => {
    expect(check(variant('Component', {}, 'payments-again')).denials).toEqual([
      'spec.version "1.4.0": must be unique for Server payments; Component payments-1-4-0 already has it (rule R6)',
    ]);
    const image = `registry.example.com/${DOMAIN_ID}/payments:1.6.0`;
    expect(check(variant('Component', { version: '1.6.0', image }, 'payments-1-6-0')).denials).toEqual([]);
  });

  it('R7: no two Servers of a Domain serve one service', () => {
    const orders = variant(
      'Server',
      { id: 'orders', services: ['acme.orders.v1.OrderService', 'acme.payments.v1.PaymentService'] },
      'orders',
    );
    expect(check(orders).denials).toEqual([
      'spec.services[1] "acme.payments.v1.PaymentService": is already served by Server payments (rule R7)',
    ]);
    expect(
      check(variant('Server', { id: 'orders', services: ['acme.orders.v1.OrderService'] }, 'orders')).denials,
    ).toEqual([]);
  });

  it('R8: a Domain id is unique in the whole cluster', () => {
    const elsewhere = { ...acme('Domain'), metadata: { name: 'copy', namespace: 'other' } };
    expect(check(elsewhere).denials).toEqual([
      `spec.id "${DOMAIN_ID}": must be unique in the cluster; Domain acme/${DOMAIN_ID} already has it (rule R8)`,
    ]);
    // The same name in another namespace is another object.
    const sameName = { ...acme('Domain'), metadata: { name: DOMAIN_ID, namespace: 'other' } };
    expect(check(sameName).denials).toHaveLength(1);
  });

  it('R9: a hostname appears once per namespace', () => {
    const second = variant(
      'Domain',
      { id: 'e'.repeat(32), aliases: ['api.example.com', `${DOMAIN_ID}.app.vimana.host`, 'new.example.com'] },
      'second',
    );
    expect(check(second).denials).toEqual([
      `spec.aliases[0] "api.example.com": is already a hostname of Domain ${DOMAIN_ID} in this namespace (rule R9)`,
      `spec.aliases[1] "${DOMAIN_ID}.app.vimana.host": is already a hostname of Domain ${DOMAIN_ID} in this namespace (rule R9)`,
    ]);
    expect(check({ ...second, metadata: { ...second.metadata, namespace: 'other' } }).denials).toEqual([]);
    expect(NAMESPACE).toBe('acme');
  });
});
