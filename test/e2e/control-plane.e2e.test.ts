/**
 * Proof that the local control plane is a real one: kubectl and the JS client reach it, RBAC denies the
 * unprivileged user, the controllers run (namespace deletion, Deployment → ReplicaSet) and the
 * aggregation layer routes an APIService through an ExternalName Service to a process on loopback.
 */
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DAY_MS, createCertificateAuthority, issueServingCertificate } from '../../certs/pki.ts';
import { eventually, freshNamespace, kubectl, kubectlOk, objectApi, pkiFile } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';

describe('the local control plane', () => {
  beforeAll(() => ensureCrds());

  it('answers kubectl through the written kubeconfig', async () => {
    const out = await kubectlOk(['get', 'ns', '-o', 'name']);
    expect(out.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
  });

  it('serves the Vimana and Application CRDs, one object of each kind created', async () => {
    const ns = await freshNamespace('crds');
    const id = '00000000000000000000000000000001';
    const objects = [
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Vimana',
        metadata: { name: 'the-vimana', namespace: ns },
        spec: { regions: [] },
      },
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'foo-domain', namespace: ns },
        spec: { id, vimana: 'the-vimana', aliases: ['api.vimana.host'] },
      },
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Server',
        metadata: { name: 'the-adder-server', namespace: ns },
        spec: {
          id: 'the-adder-server',
          domain: id,
          services: ['foo.bar.AdderService'],
          versionWeights: { '1.0.0': 1 },
        },
      },
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Component',
        metadata: { name: 'baz-component', namespace: ns },
        spec: {
          version: '1.0.0',
          server: 'the-adder-server',
          domain: id,
          image: `host.minikube.internal:5000/${id}/the-adder-server:1.0.0`,
        },
      },
      {
        apiVersion: 'app.k8s.io/v1beta1',
        kind: 'Application',
        metadata: { name: 'stock-trader', namespace: ns },
        spec: {
          componentKinds: [{ group: 'apps', kind: 'Deployment' }],
          selector: { matchLabels: { solution: 'stock-trader' } },
        },
      },
    ];
    await kubectlOk(['apply', '-f', '-'], { input: objects });
    const api = objectApi();
    for (const object of objects) {
      const read = await api.read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: object.metadata,
      });
      expect(read.metadata?.uid).toBeTruthy();
      expect(read.kind).toBe(object.kind);
    }
    const servers = await kubectlOk([
      'get',
      'servers',
      '-n',
      ns,
      '-o',
      'jsonpath={.items[0].spec.versionWeights}',
    ]);
    expect(JSON.parse(servers)).toEqual({ '1.0.0': 1 });
    // Gone before the next file: a Domain id is unique across the cluster (the Vimana gate's R8), and
    // the gate's tests apply this same sample id.
    await kubectlOk(['delete', 'namespace', ns, '--wait=true']);
  });

  it('denies the unprivileged user what RBAC denies, and allows what a Role grants', async () => {
    const ns = await freshNamespace('rbac');
    const developer = { kubeconfig: inject('developerKubeconfig') };
    const denied = await kubectl(['get', 'configmaps', '-n', ns], developer);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('User "dev-user" cannot list resource "configmaps"');
    await kubectlOk(['create', 'role', 'reader', '-n', ns, '--verb=get,list', '--resource=configmaps']);
    await kubectlOk([
      'create',
      'rolebinding',
      'reader',
      '-n',
      ns,
      '--role=reader',
      '--group=prism-developers',
    ]);
    await eventually(
      'the binding to take effect',
      async () => (await kubectl(['get', 'configmaps', '-n', ns], developer)).code === 0,
    );
    expect(
      (await kubectl(['auth', 'can-i', 'delete', 'configmaps', '-n', ns], developer)).stdout.trim(),
    ).toBe('no');
  });

  it('runs the Deployment controller: a Deployment gets its ReplicaSet and a Pending Pod', async () => {
    const ns = await freshNamespace('workloads');
    await kubectlOk(['create', 'deployment', 'web', '-n', ns, '--image=registry.example/web:1']);
    const rs = await eventually('a ReplicaSet owned by the Deployment', async () => {
      const out = await kubectlOk([
        'get',
        'rs',
        '-n',
        ns,
        '-o',
        'jsonpath={.items[*].metadata.ownerReferences[0].name}',
      ]);
      return out.trim() === 'web' ? out : undefined;
    });
    expect(rs).toBe('web');
    const phase = await eventually(
      'a Pod created by the ReplicaSet',
      async () =>
        (await kubectlOk(['get', 'pods', '-n', ns, '-o', 'jsonpath={.items[0].status.phase}'])).trim() ||
        undefined,
    );
    expect(phase).toBe('Pending');
  });

  it('completes the deletion of a namespace full of objects', async () => {
    const ns = await freshNamespace('doomed');
    await kubectlOk(['create', 'configmap', 'a', '-n', ns, '--from-literal=k=v']);
    await kubectlOk(['create', 'deployment', 'web', '-n', ns, '--image=registry.example/web:1']);
    await kubectlOk(['apply', '-f', '-'], {
      input: {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Vimana',
        metadata: { name: 'edge', namespace: ns },
        spec: {},
      },
    });
    await kubectlOk(['delete', 'namespace', ns, '--wait=false']);
    await eventually(
      'the namespace to be gone',
      async () => (await kubectl(['get', 'namespace', ns])).code !== 0,
      90_000,
      500,
    );
  });
});

describe('the aggregation layer', () => {
  const group = 'harness.prismgate.test';
  let ns: string;
  let server: https.Server;
  const seen: { user?: string; groups?: string; authorized: boolean }[] = [];

  beforeAll(async () => {
    ns = await freshNamespace('aggregation');
    // The API server verifies the backend against caBundle for the name <service>.<namespace>.svc.
    const ca = createCertificateAuthority('harness-aggregation-ca', { validForMs: DAY_MS });
    const serving = issueServingCertificate(
      ca,
      `harness.${ns}.svc`,
      [`harness.${ns}.svc`, 'localhost', '127.0.0.1'],
      { validForMs: DAY_MS },
    );
    server = https.createServer(
      // The aggregator presents the front-proxy client certificate: trust only the front-proxy CA.
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: pkiFile('front-proxy-ca.crt'),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const authorized = (req.socket as TLSSocket).authorized;
        seen.push({
          user: req.headers['x-remote-user'] as string,
          groups: String(req.headers['x-remote-group']),
          authorized,
        });
        res.setHeader('content-type', 'application/json');
        if (!authorized) {
          res.statusCode = 401;
          res.end(
            JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              reason: 'Unauthorized',
              code: 401,
            }),
          );
        } else if (req.url?.startsWith(`/apis/${group}/v1/whoami`)) {
          res.end(
            JSON.stringify({ user: req.headers['x-remote-user'], groups: req.headers['x-remote-group'] }),
          );
        } else if (req.url?.startsWith(`/apis/${group}/v1`)) {
          res.end(
            JSON.stringify({
              kind: 'APIResourceList',
              apiVersion: 'v1',
              groupVersion: `${group}/v1`,
              resources: [],
            }),
          );
        } else {
          res.statusCode = 404;
          res.end(
            JSON.stringify({
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              reason: 'NotFound',
              code: 404,
            }),
          );
        }
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await kubectlOk(['apply', '-f', '-'], {
      input: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'harness', namespace: ns },
          spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port }] },
        },
        {
          apiVersion: 'apiregistration.k8s.io/v1',
          kind: 'APIService',
          metadata: { name: `v1.${group}` },
          spec: {
            group,
            version: 'v1',
            groupPriorityMinimum: 1000,
            versionPriority: 15,
            service: { namespace: ns, name: 'harness', port },
            caBundle: Buffer.from(ca.certPem).toString('base64'),
          },
        },
      ],
    });
  });

  afterAll(async () => {
    // An unavailable APIService would stall namespace deletion for every later test.
    await kubectl(['delete', 'apiservice', `v1.${group}`, '--ignore-not-found']);
    server?.close();
  });

  it('marks the APIService Available after probing the backend through the ExternalName Service', async () => {
    const status = await eventually(
      'APIService Available=True',
      async () => {
        const out = await kubectlOk([
          'get',
          'apiservice',
          `v1.${group}`,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Available")].status}',
        ]);
        return out === 'True' ? out : undefined;
      },
      60_000,
      500,
    );
    expect(status).toBe('True');
  });

  it('proxies requests with the front-proxy certificate and the original user in X-Remote headers', async () => {
    const body = JSON.parse(await kubectlOk(['get', '--raw', `/apis/${group}/v1/whoami`]));
    expect(body.user).toBe('prismgate-admin');
    expect(body.groups).toContain('system:masters');
    expect(seen.every((request) => request.authorized)).toBe(true);
  });
});
