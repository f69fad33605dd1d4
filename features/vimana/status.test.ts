import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { GeneratedKind, GeneratedState } from './cluster-view.ts';
import { deploymentName, serviceName } from './names.ts';
import {
  componentStatus,
  computeVimanaStatus,
  domainStatus,
  datedCondition,
  PRISMGATE_CONDITION,
  serverStatus,
  vimanaStatus,
} from './status.ts';
import {
  ACME,
  acme,
  clusterOf,
  DOMAIN_ID,
  loadManifests,
  variant,
} from '../../test/support/vimana/fixtures.ts';

const V1 = loadManifests('v1-mvp', 'default');
const V1_ID = '00000000000000000000000000000001';
const v1 = (kind: string) => V1.find((object) => object.kind === kind) as KubeObject;
const states = (entries: [GeneratedKind, string, GeneratedState][], namespace = 'acme') =>
  entries.map(([kind, name, state]) => ({ kind, namespace, name, state }));
const NOW = new Date('2025-11-09T19:21:27.123Z');

describe('derived status fields (§1.6, §3.5, §4.1 vectors)', () => {
  it('V1', () => {
    const view = clusterOf(V1);
    expect(vimanaStatus(v1('Vimana'), 'default', view).fields).toEqual({
      gatewayName: 'the-vimana-gateway',
      domainCount: 1,
      listeners: [
        {
          hostname: `${V1_ID}.app.vimana.host`,
          name: 'l-3997338ad9de4792c3cf48d0c0fe5640849610bbecb28dd76a35719d',
          secretName: 'c-3997338ad9de4792c3cf48d0c0fe5640849610bbecb28dd76a35719d',
        },
        {
          hostname: 'api.vimana.host',
          name: 'l-6b5d8e830debff227c4511d5b56ba646c4bae1f79f5fcab05b409a98',
          secretName: 'c-6b5d8e830debff227c4511d5b56ba646c4bae1f79f5fcab05b409a98',
        },
      ],
    });
    expect(domainStatus(v1('Domain'), 'default', view).fields).toMatchObject({
      routeName: V1_ID,
      gatewayRef: 'the-vimana-gateway',
    });
    expect(componentStatus(v1('Component'), 'default', view).fields).toEqual({
      componentName: `${V1_ID}:the-adder-server@1.0.0`,
      deploymentName: 'd-b513f0509e6e3cc5bee4b70d1d433f82966f46d8cebb26cb35112bff',
      serviceName: 's-b513f0509e6e3cc5bee4b70d1d433f82966f46d8cebb26cb35112bff',
      weight: 1,
      trafficPercent: 100,
      imageRegistry: 'host.minikube.internal:5000',
    });
    expect(serverStatus(v1('Server'), 'default', view).fields).toMatchObject({
      trafficPercent: { '1.0.0': 100 },
      traffic: '1.0.0=100%',
    });
  });

  it('V3', () => {
    expect(domainStatus(acme('Domain'), 'acme', clusterOf(ACME)).fields).toEqual({
      canonicalHostname: `${DOMAIN_ID}.app.vimana.host`,
      routeName: DOMAIN_ID,
      hostnames: [`${DOMAIN_ID}.app.vimana.host`, 'api.example.com', 'grpc.example.net'],
      gatewayRef: 'edge-gateway',
      tlsSecretNames: [
        'c-8792b482d4361e9c62021539f25ce8364b9bf1a91aeb8eaefa3247dc',
        'c-368a28eb21414e16bb834050e44d26c497697635c54736b4ab9b24d8',
        'c-1ecc09ca410b161de846ef6bd691e8cdedc6da9f53ba9c0a10adfc71',
      ],
      reflectionMode: 'allBut',
    });
  });

  it('V4', () => {
    expect(serverStatus(acme('Server'), 'acme', clusterOf(ACME)).fields).toEqual({
      serverName: `${DOMAIN_ID}:payments`,
      trafficPercent: { '1.4.0': 90, '1.5.0-rc1': 10 },
      traffic: '1.4.0=90%, 1.5.0-rc1=10%',
      backendServices: {
        '1.4.0': 's-4b0659a445dc7105e4d243b5ec1c8802bd9a5c12e1d39104b7ac1aff',
        '1.5.0-rc1': 's-c70d271e8724214acf4b01e7c5526dd03708fbaf3094e3bea0bb8df7',
      },
      missingComponents: [],
    });
  });

  it('V5', () => {
    const view = clusterOf(ACME);
    expect(componentStatus(acme('Component', 'payments-1-4-0'), 'acme', view).fields).toMatchObject({
      deploymentName: 'd-4b0659a445dc7105e4d243b5ec1c8802bd9a5c12e1d39104b7ac1aff',
      weight: 90,
      trafficPercent: 90,
      imageRegistry: 'registry.example.com:5000',
    });
    expect(componentStatus(acme('Component', 'payments-1-5-0-rc1'), 'acme', view).fields).toMatchObject({
      deploymentName: 'd-c70d271e8724214acf4b01e7c5526dd03708fbaf3094e3bea0bb8df7',
      weight: 10,
      trafficPercent: 10,
      imageRegistry: 'registry.example.com',
    });
  });

  it('relative weights: shares round to two decimals, all-zero weights give no traffic', () => {
    const thirds = variant('Server', { versionWeights: { '1.0.0': 1, '2.0.0': 2 } });
    expect(serverStatus(thirds, 'acme', clusterOf(ACME)).fields).toMatchObject({
      trafficPercent: { '1.0.0': 33.33, '2.0.0': 66.67 },
      traffic: '1.0.0=33.33%, 2.0.0=66.67%',
    });
    const idle = serverStatus(
      variant('Server', { versionWeights: { '1.4.0': 0 } }),
      'acme',
      clusterOf(ACME),
    ).fields;
    expect(idle).not.toHaveProperty('trafficPercent');
    expect(idle).not.toHaveProperty('traffic');
    expect(
      componentStatus(acme('Component'), 'acme', clusterOf([...ACME.filter((o) => o.kind !== 'Server')]))
        .fields,
    ).toMatchObject({
      weight: 0,
      trafficPercent: 0,
    });
  });

  it('omits what cannot be derived from an incomplete spec', () => {
    expect(domainStatus({ kind: 'Domain', spec: {} }, 'acme', clusterOf([])).fields).toEqual({
      hostnames: [],
      tlsSecretNames: [],
      reflectionMode: 'off',
    });
  });
});

describe('the Available condition (§3.3)', () => {
  it('Vimana: waits for a Domain, then follows its Gateway', () => {
    const alone = clusterOf(ACME.filter((object) => object.kind === 'Vimana'));
    expect(vimanaStatus(acme('Vimana'), 'acme', alone).available).toMatchObject({
      status: 'Unknown',
      reason: 'Reconciling',
    });
    const available = (state?: GeneratedState) =>
      vimanaStatus(
        acme('Vimana'),
        'acme',
        clusterOf(ACME, { generated: state ? states([['Gateway', 'edge-gateway', state]]) : [] }),
      ).available;
    expect(available()).toEqual({
      status: 'Unknown',
      reason: 'Reconciling',
      message: 'Starting reconciliation',
    });
    expect(available('pending')).toEqual({
      status: 'True',
      reason: 'Reconciled',
      message: 'Successfully reconciled vimana',
    });
    expect(available('rejected')).toEqual({
      status: 'False',
      reason: 'GatewayUpsert',
      message: 'Failed to update Gateway for vimana',
    });
  });

  it('Domain: names the missing Vimana, a service conflict, the route and unresolved backends', () => {
    const accepted = states([['GRPCRoute', DOMAIN_ID, 'accepted']]);
    const judge = (objects: readonly KubeObject[], generated = accepted) =>
      domainStatus(acme('Domain'), 'acme', clusterOf(objects, { generated })).available;
    expect(judge(ACME)).toEqual({
      status: 'True',
      reason: 'Reconciled',
      message: 'Successfully reconciled domain',
    });
    expect(judge(ACME.filter((object) => object.kind !== 'Vimana')).reason).toBe('VimanaNotFound');
    const twin = variant('Server', { id: 'orders', services: ['acme.payments.v1.PaymentService'] }, 'orders');
    expect(judge([...ACME, twin])).toMatchObject({
      reason: 'ServiceConflict',
      message: 'Service acme.payments.v1.PaymentService is served by Servers payments and orders',
    });
    expect(judge(ACME, [])).toMatchObject({ status: 'Unknown', reason: 'Reconciling' });
    expect(judge(ACME, states([['GRPCRoute', DOMAIN_ID, 'rejected']])).reason).toBe('GRPCRouteUpsert');
    expect(judge(ACME.filter((object) => object.metadata?.name !== 'payments-1-5-0-rc1'))).toEqual({
      status: 'False',
      reason: 'UnresolvedBackends',
      message: 'Weighted versions without a Component: payments@1.5.0-rc1',
    });
  });

  it('Server: DomainNotFound, MissingComponent or Reconciled', () => {
    const judge = (objects: readonly KubeObject[]) =>
      serverStatus(acme('Server'), 'acme', clusterOf(objects));
    expect(judge(ACME).available).toEqual({
      status: 'True',
      reason: 'Reconciled',
      message: 'Successfully reconciled server',
    });
    expect(judge(ACME.filter((object) => object.kind !== 'Domain')).available).toEqual({
      status: 'False',
      reason: 'DomainNotFound',
      message: `No Domain with id "${DOMAIN_ID}" in namespace acme`,
    });
    const result = judge(ACME.filter((object) => object.kind !== 'Component'));
    expect(result.available).toEqual({
      status: 'False',
      reason: 'MissingComponent',
      message: 'Weighted versions without a Component: 1.4.0, 1.5.0-rc1',
    });
    expect(result.fields.missingComponents).toEqual(['1.4.0', '1.5.0-rc1']);
  });

  it('Component: Reconciled once its Deployment and Service exist', () => {
    const name = `${DOMAIN_ID}:payments@1.4.0`;
    const judge = (entries: [GeneratedKind, string, GeneratedState][]) =>
      componentStatus(acme('Component'), 'acme', clusterOf(ACME, { generated: states(entries) })).available
        .reason;
    expect(judge([['Deployment', deploymentName(name), 'accepted']])).toBe('Reconciling');
    expect(
      judge([
        ['Deployment', deploymentName(name), 'accepted'],
        ['Service', serviceName(name), 'accepted'],
      ]),
    ).toBe('Reconciled');
  });

  it('dates a condition like meta.SetStatusCondition: lastTransitionTime kept while the status value holds', () => {
    const stored = [
      { type: 'Ready', status: 'True', reason: 'X', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' },
      {
        type: PRISMGATE_CONDITION,
        status: 'False',
        reason: 'GatewayUpsert',
        message: 'm',
        lastTransitionTime: '2024-01-01T00:00:00Z',
      },
    ];
    expect(
      datedCondition(PRISMGATE_CONDITION, { status: 'False', reason: 'Other', message: 'n' }, stored, NOW),
    ).toEqual({
      type: PRISMGATE_CONDITION,
      status: 'False',
      reason: 'Other',
      message: 'n',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    });
    const changed = datedCondition(
      PRISMGATE_CONDITION,
      { status: 'True', reason: 'Reconciled', message: 'ok' },
      stored,
      NOW,
    );
    expect(changed).toMatchObject({ status: 'True', lastTransitionTime: '2025-11-09T19:21:27Z' });
    // Another type's entry, or no list at all, dates from now.
    expect(datedCondition('Ready', { status: 'False', reason: 'R', message: '' }, 'junk', NOW)).toMatchObject(
      {
        lastTransitionTime: '2025-11-09T19:21:27Z',
      },
    );
  });

  it("computeVimanaStatus gives the derived fields and prismgate's own condition, never the operator's Available", () => {
    const operatorSaid = {
      type: 'Available',
      status: 'True',
      reason: 'Reconciled',
      message: 'Successfully reconciled server',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    };
    const server = { ...acme('Server'), status: { conditions: [operatorSaid] } };
    const status = computeVimanaStatus(
      'Server',
      'acme',
      server,
      clusterOf(ACME.filter((o) => o.kind !== 'Domain')),
      NOW,
    );
    expect(status.fields).toMatchObject({ serverName: `${DOMAIN_ID}:payments` });
    expect(status.condition).toEqual({
      type: PRISMGATE_CONDITION,
      status: 'False',
      reason: 'DomainNotFound',
      message: `No Domain with id "${DOMAIN_ID}" in namespace acme`,
      lastTransitionTime: '2025-11-09T19:21:27Z',
    });
  });
});
