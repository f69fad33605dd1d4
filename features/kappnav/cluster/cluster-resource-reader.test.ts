import { describe, expect, it } from 'vitest';
import type { DiscoveredType } from '../../../pkg/kube/api-discovery.ts';
import { typeForArgument } from './cluster-resource-reader.ts';

const type = (
  group: string,
  version: string,
  resource: string,
  kind: string,
  preferred = true,
): DiscoveredType => ({
  group,
  version,
  resource,
  kind,
  namespaced: true,
  verbs: ['get', 'list'],
  preferred,
});

const TYPES = [
  type('', 'v1', 'pods', 'Pod'),
  type('', 'v1', 'events', 'Event'),
  type('apps', 'v1', 'deployments', 'Deployment'),
  type('events.k8s.io', 'v1', 'events', 'Event'),
  type('route.openshift.io', 'v1', 'routes', 'Route'),
  type('route.openshift.io', 'v1beta1', 'routes', 'Route', false),
];

describe('typeForArgument: kubectl resource arguments', () => {
  it.each([
    ['pods', '/v1/pods'],
    ['pod', '/v1/pods'],
    ['Pod', '/v1/pods'],
    ['deployments.apps', 'apps/v1/deployments'],
    ['deployment.v1.apps', 'apps/v1/deployments'],
    ['Route', 'route.openshift.io/v1/routes'],
    ['routes.v1beta1.route.openshift.io', 'route.openshift.io/v1beta1/routes'],
    ['events', '/v1/events'],
    ['events.events.k8s.io', 'events.k8s.io/v1/events'],
  ])('%s → %s', (argument, expected) => {
    const found = typeForArgument(TYPES, argument);
    expect(found && `${found.group}/${found.version}/${found.resource}`).toBe(expected);
  });

  it.each(['po', 'deployments.extensions', 'gizmos', ''])('%j names no type', (argument) => {
    expect(typeForArgument(TYPES, argument)).toBeUndefined();
  });
});
