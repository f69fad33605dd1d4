/**
 * prismgate's own declarative policy engine as a peer: the shipped default policies of manifests/policies/
 * that hold the benchmark's rules, plus one for F4 (the image's shape), run by a prismgate process of its
 * own with only the policy feature (as `npm start` runs it otherwise). Its validating webhook
 * (`/validate/policies`) is registered by the benchmark like every gate (registration.ts), so the process
 * registers nothing itself.
 *
 * X1 (the image names the Component's own domain, server and version) is not in it: the policy language
 * compares a field with a constant, a pattern or another single field, and has no concatenation. The
 * pre-flight shows that gap rather than hiding it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as patterns from '../../features/vimana/patterns.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { PrismgateProcess } from '../support/prismgate-process.ts';
import { applyManifest, createNamespace, deleteNamespaces, kubectl } from '../support/cluster.ts';
import { readManifests } from './manifests.ts';
import type { GateEndpoint, Peer } from './peer.ts';
import { untilDenies } from './peer-process.ts';

const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../manifests/policies');

/** The shipped default policies of the rules the benchmark covers (the others judge fields it does not use). */
const SHIPPED = [
  'vimana-domain-id-format', // F1
  'vimana-server-id-format', // F2
  'vimana-version-format', // F3
  'vimana-service-name-format', // F5 (and X3)
  'vimana-hostname-format', // F6 (and F7)
  'vimana-vimana-name-format', // F10
  'vimana-weight-range', // F12
  'vimana-required-fields', // F13
  'vimana-reflection-lists-exclusive', // X2
  'vimana-weight-key-version', // X5
  'vimana-services-not-empty', // X7
];

const inner = (regex: RegExp) => regex.source.replace(/^\^/, '').replace(/\$$/, '');

/** F4, which no shipped policy holds: `<registry>/<domain id>/<server id>:<version>`. */
function imageShapePolicy(): KubeObject {
  return {
    apiVersion: 'policies.prismgate.kappnav.io/v1alpha1',
    kind: 'ClusterAdmissionPolicy',
    metadata: { name: 'bench-vimana-image-format' },
    spec: {
      action: 'Enforce',
      description: 'Component images are <registry>/<domainId>/<serverId>:<version> (rule F4)',
      match: { resources: [{ apiGroups: ['api.vimana.host'], kinds: ['Component'] }] },
      validate: [
        {
          name: 'image',
          forEach: '$.spec.image',
          message: '{{ path }} {{ value }}: {{ expectation }} (rule F4)',
          assert: [
            {
              operator: 'Matches',
              value: `^[^/]+/${inner(patterns.DOMAIN_ID)}/${inner(patterns.SERVER_ID)}:${inner(patterns.VERSION)}$`,
              expectation: 'must be <registry>/<domainId>/<serverId>:<version>',
            },
          ],
        },
      ],
    },
  };
}

export function benchPolicies(): KubeObject[] {
  const shipped = readManifests(SHIPPED.map((name) => path.join(POLICIES_DIR, `${name}.yaml`)));
  return [...(shipped as KubeObject[]), imageShapePolicy()];
}

export const prismgatePolicies: Peer = {
  name: 'prismgate-policies',
  version: 'this tree',
  // Nothing to build: it is this repository.
  async prepare() {},
  async start({ client, kubeconfig }) {
    const namespace = await createNamespace(client, `bench-policies-${randomBytes(3).toString('hex')}`);
    const serviceName = 'prismgate-policies';
    const process_ = await PrismgateProcess.start({
      kubeconfig,
      label: 'prismgate-policies',
      features: ['policies'],
      registration: 'none',
      namespace,
      serviceName,
    });
    const policies = benchPolicies();
    const stop = async () => {
      for (const policy of policies)
        await kubectl(
          kubeconfig,
          'delete',
          'clusteradmissionpolicy',
          policy.metadata?.name ?? '',
          '--ignore-not-found',
        ).catch(() => undefined);
      await process_.stop();
      await deleteNamespaces(client, [namespace]).catch(() => undefined);
    };
    const gate: GateEndpoint = {
      gate: 'prismgate-policies',
      form: 'prismgate: ClusterAdmissionPolicies (the shipped defaults, and F4)',
      port: process_.webhookPort,
      path: '/validate/policies',
      caBundle: process_.caBundle,
      service: { namespace, name: serviceName },
    };
    try {
      await applyManifest(kubeconfig, policies);
      const starting = {
        name: 'prismgate-policies',
        get exited() {
          return process_.exited;
        },
        lastOutput: () => '(prismgate logs to the benchmark’s stderr)',
      };
      await untilDenies(starting, gate, 'default', 60_000);
      return { pid: process_.pid, gates: [gate], stop };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
