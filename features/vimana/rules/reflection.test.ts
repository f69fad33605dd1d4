import { describe, expect, it } from 'vitest';
import { ACME, acme, clusterOf, DOMAIN_ID, variant, checker } from '../../../test/support/vimana/fixtures.ts';
import { reflectionRules } from './reflection.ts';

const check = checker(reflectionRules);
const withoutServers = clusterOf(ACME.filter((object) => object.kind !== 'Server'));

describe('reflection rules', () => {
  it('X2: noneBut and allBut are exclusive, even when one is empty', () => {
    const reflection = { noneBut: ['a.B'], allBut: ['c.D'] };
    expect(check(variant('Domain', { grpc: { reflection } })).denials).toEqual([
      'spec.grpc.reflection {"noneBut":["a.B"],"allBut":["c.D"]}: must set only one of noneBut and allBut (rule X2)',
    ]);
    expect(
      check(variant('Domain', { grpc: { reflection: { noneBut: [], allBut: [] } } })).denials,
    ).toHaveLength(1);
    expect(check(variant('Domain', { grpc: { reflection: { allBut: [] } } })).denials).toEqual([]);
  });

  it('X3: entries are service names (deny), not repeated and declared by a Server (warn)', () => {
    const result = check(
      variant('Domain', {
        grpc: {
          reflection: {
            noneBut: [
              'NoPackage',
              'acme.payments.v1.PaymentService',
              'acme.payments.v1.PaymentService',
              'acme.other.v1.Unknown',
            ],
          },
        },
      }),
    );
    expect(result.denials).toEqual([
      'spec.grpc.reflection.noneBut[0] "NoPackage": must be a fully-qualified gRPC service name such as package.Service (rule X3)',
    ]);
    expect(result.warnings).toEqual([
      'spec.grpc.reflection.noneBut[2] "acme.payments.v1.PaymentService": must not repeat spec.grpc.reflection.noneBut[1] (rule X3)',
      'spec.grpc.reflection.noneBut[3] "acme.other.v1.Unknown": should name a service that a Server of this Domain declares (rule X3)',
    ]);
    // Before its Servers exist, V3 warns about the AdminService it excludes.
    expect(check(acme('Domain'), withoutServers).warnings).toEqual([
      'spec.grpc.reflection.allBut[0] "acme.payments.v1.AdminService": should name a service that a Server of this Domain declares (rule X3)',
    ]);
    expect(check(acme('Domain'))).toEqual({ denials: [], warnings: [] });
  });

  it('X8: a Server may not list the reflection service of a Domain with reflection on', () => {
    const services = ['acme.payments.v1.PaymentService', 'grpc.reflection.v1.ServerReflection'];
    expect(check(variant('Server', { services })).denials).toEqual([
      `spec.services[1] "grpc.reflection.v1.ServerReflection": is reserved: Domain ${DOMAIN_ID} serves reflection itself (rule X8)`,
    ]);
    const reflectionOff = clusterOf([
      ...ACME.filter((object) => object.kind !== 'Domain'),
      variant('Domain', { grpc: {} }),
    ]);
    expect(check(variant('Server', { services }), reflectionOff).denials).toEqual([]);
    const noneButNothing = clusterOf([
      ...ACME.filter((object) => object.kind !== 'Domain'),
      variant('Domain', { grpc: { reflection: { noneBut: [] } } }),
    ]);
    expect(check(variant('Server', { services }), noneButNothing).denials).toEqual([]);
  });

  it('X8: nor may a Domain turn reflection on while a Server lists it', () => {
    const claimant = variant(
      'Server',
      { id: 'mirror', services: ['grpc.reflection.v1alpha1.ServerReflection'] },
      'mirror',
    );
    const view = clusterOf([...ACME, claimant]);
    expect(check(acme('Domain'), view).denials).toEqual([
      'spec.grpc.reflection {"allBut":["acme.payments.v1.AdminService"]}: cannot be on while Server mirror serves grpc.reflection.v1alpha1.ServerReflection (rule X8)',
    ]);
    expect(check(variant('Domain', { grpc: undefined }), view).denials).toEqual([]);
  });
});
