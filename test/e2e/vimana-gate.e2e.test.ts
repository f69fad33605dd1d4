/**
 * The Vimana admission gate on a real control plane, as a person meets it at `kubectl`: the registration,
 * the project's own manifest in one apply, mutations on the stored objects, the computed status and its
 * printer columns, denials of CREATE, UPDATE and DELETE, and server-side dry runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { componentName, deploymentName, serviceName } from '../../features/vimana/names.ts';
import { mutateVimana } from '../../features/vimana/mutate.ts';
import { IN_USE_FINALIZER } from '../../features/vimana/protection.ts';
import { sameJson } from '../../pkg/json/json-value.ts';
import { PRISMGATE_CONDITION } from '../../features/vimana/status.ts';
import { validateCommand } from '../../features/vimana/validate-command.ts';
import { OPERATOR_CONDITION, ruleIds } from '../support/vimana/fixtures.ts';
import { eventually, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import {
  apply,
  freshDomainId,
  getObject,
  mergePatch,
  mvpManifest,
  startVimanaGate,
  TestNamespaces,
  verdictOf,
} from './vimana-gate.ts';

const MVP_DOMAIN = '00000000000000000000000000000001';

describe('the Vimana admission gate', () => {
  let gate: Prismgate;
  const namespaces = new TestNamespaces();
  let ns: string;

  beforeAll(async () => {
    gate = await startVimanaGate();
    ns = await namespaces.create('vimana-mvp');
  });
  afterAll(async () => {
    await gate?.stop();
    await namespaces.deleteAll();
  });

  /** How many reviews a webhook has answered, from prismgate's own histogram. */
  async function reviews(webhook: string): Promise<number> {
    const metric = await gate.registry.getSingleMetric('prismgate_admission_duration_seconds')?.get();
    return (metric?.values ?? [])
      .filter((v) => 'metricName' in v && String(v.metricName).endsWith('_count'))
      .filter((v) => v.labels['webhook'] === webhook)
      .reduce((sum, v) => sum + v.value, 0);
  }

  it('registers narrow webhooks that fail closed on invariants, with matchConditions and short timeouts', async () => {
    const validating = JSON.parse(
      await kubectlOk(['get', 'validatingwebhookconfiguration', 'prismgate', '-o', 'json']),
    );
    expect(validating.webhooks).toEqual([
      expect.objectContaining({
        name: 'vimana.validate.prismgate.kappnav.io',
        failurePolicy: 'Fail',
        sideEffects: 'None',
        timeoutSeconds: 3,
        rules: [
          expect.objectContaining({
            apiGroups: ['api.vimana.host'],
            apiVersions: ['v1alpha1'],
            resources: ['vimanas', 'domains', 'servers', 'components'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
          }),
        ],
        matchConditions: [
          expect.objectContaining({ name: 'not-a-consequential-delete' }),
          expect.objectContaining({ name: 'spec-or-labels-change' }),
        ],
        namespaceSelector: expect.objectContaining({
          matchExpressions: expect.arrayContaining([
            expect.objectContaining({ key: 'kubernetes.io/metadata.name', operator: 'NotIn' }),
          ]),
        }),
      }),
    ]);
    const mutating = JSON.parse(
      await kubectlOk(['get', 'mutatingwebhookconfiguration', 'prismgate', '-o', 'json']),
    );
    expect(
      mutating.webhooks.map(
        (w: { name: string; failurePolicy: string; rules: { resources: string[] }[] }) => [
          w.name,
          w.failurePolicy,
          w.rules[0]?.resources,
        ],
      ),
    ).toEqual([
      ['vimana.mutate.prismgate.kappnav.io', 'Fail', ['vimanas', 'domains', 'servers', 'components']],
      [
        'vimana-status.mutate.prismgate.kappnav.io',
        'Ignore',
        ['vimanas/status', 'domains/status', 'servers/status', 'components/status'],
      ],
    ]);
  });

  it("applies the project's e2e manifest in one kubectl apply -f, parents first, with only warnings", async () => {
    const result = verdictOf(
      await kubectl(['apply', '-n', ns, '-f', `${repoRoot}/manifests/samples/vimana-mvp.yaml`]),
    );
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'vimana.api.vimana.host/the-vimana created',
      'domain.api.vimana.host/foo-domain created',
      'server.api.vimana.host/the-adder-server created',
      'component.api.vimana.host/baz-component created',
    ]);
    expect(ruleIds(result.warnings).sort()).toEqual(['A1', 'R11', 'R12', 'R12']);
  });

  it('computes status for all four kinds and shows it in kubectl get printer columns', async () => {
    const table = await eventually('the Server to be available with its traffic split', async () => {
      const out = await kubectlOk(['get', 'servers', '-n', ns, '-o', 'wide']);
      return (
        /the-adder-server\s+the-adder-server\s+0{31}1\s+1\.0\.0=100%\s+True\s+Reconciled/.test(out) && out
      );
    });
    // AVAILABLE is the operator's condition (none runs here); PRISMGATE and REASON are prismgate's own.
    expect(table.split('\n')[0]).toMatch(
      /^NAME\s+ID\s+DOMAIN\s+TRAFFIC\s+AVAILABLE\s+PRISMGATE\s+REASON\s+AGE/,
    );
    const server = await getObject(ns, 'servers.api.vimana.host', 'the-adder-server');
    const component = componentName(MVP_DOMAIN, 'the-adder-server', '1.0.0');
    expect(server['status']).toMatchObject({
      serverName: `${MVP_DOMAIN}:the-adder-server`,
      trafficPercent: { '1.0.0': 100 },
      missingComponents: [],
      backendServices: { '1.0.0': 's-b513f0509e6e3cc5bee4b70d1d433f82966f46d8cebb26cb35112bff' },
    });
    // The listener names of §4.1 V1, computed over every Domain of the namespace.
    const vimana = await eventually('the Vimana status', async () => {
      const object = await getObject(ns, 'vimanas.api.vimana.host', 'the-vimana');
      return (object['status'] as { domainCount?: number } | undefined)?.domainCount === 1 && object;
    });
    expect(vimana['status']).toMatchObject({
      gatewayName: 'the-vimana-gateway',
      listeners: [
        { name: 'l-3997338ad9de4792c3cf48d0c0fe5640849610bbecb28dd76a35719d' },
        { name: 'l-6b5d8e830debff227c4511d5b56ba646c4bae1f79f5fcab05b409a98', hostname: 'api.vimana.host' },
      ],
      conditions: [{ type: PRISMGATE_CONDITION, status: 'Unknown', reason: 'Reconciling' }],
    });
    const domain = await getObject(ns, 'domains.api.vimana.host', 'foo-domain');
    expect(domain['status']).toMatchObject({
      canonicalHostname: `${MVP_DOMAIN}.app.vimana.host`,
      gatewayRef: 'the-vimana-gateway',
      reflectionMode: 'off',
    });
    // The Component waits for the operator's Deployment and Service; once they exist it is available.
    expect((await getObject(ns, 'components.api.vimana.host', 'baz-component'))['status']).toMatchObject({
      deploymentName: deploymentName(component),
      serviceName: serviceName(component),
      trafficPercent: 100,
      conditions: [{ type: PRISMGATE_CONDITION, status: 'Unknown' }],
    });
    const labels = { 'vimana.host/domain': MVP_DOMAIN, 'vimana.host/server': 'the-adder-server' };
    await kubectlOk(['apply', '-n', ns, '-f', '-'], {
      input: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: deploymentName(component), labels },
          spec: {
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: { containers: [{ name: 'grpc', image: 'registry.example.com/x:1' }] },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: serviceName(component), labels },
          spec: { ports: [{ port: 80 }], selector: labels },
        },
      ],
    });
    await eventually('the Component to turn available', async () =>
      /baz-component\s+.*True/.test(await kubectlOk(['get', 'components', '-n', ns])),
    );
  });

  it("keeps prismgate's fields through another writer's full status update, and never touches that writer's conditions", async () => {
    const before = await getObject(ns, 'servers.api.vimana.host', 'the-adder-server');
    // The operator's kind of write: a full status update carrying its own conditions and nothing else.
    const written = JSON.parse(
      await kubectlOk(['replace', '--subresource=status', '-o', 'json', '-f', '-'], {
        input: {
          ...before,
          metadata: { ...before.metadata, managedFields: undefined },
          status: {
            conditions: [
              OPERATOR_CONDITION,
              ...((before['status'] as { conditions: object[] }).conditions ?? []),
            ],
          },
        },
      }),
    ) as KubeObject;
    const expected = {
      serverName: `${MVP_DOMAIN}:the-adder-server`,
      traffic: '1.0.0=100%',
      conditions: [
        OPERATOR_CONDITION,
        expect.objectContaining({ type: PRISMGATE_CONDITION, status: 'True', reason: 'Reconciled' }),
      ],
    };
    expect(written['status']).toMatchObject(expected);
    // The reconciler finds nothing to change, and so writes nothing over it.
    const version = written.metadata?.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stored = await getObject(ns, 'servers.api.vimana.host', 'the-adder-server');
    expect(stored.metadata?.resourceVersion).toBe(version);
    expect(stored['status']).toMatchObject(expected);
  });

  it('stores the mutated object: labels from the spec, a generated Domain id, normalised aliases', async () => {
    const result = await apply(ns, {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'generated' },
      spec: { vimana: 'the-vimana', aliases: ['Shop.Example.org', 'shop.example.org'] },
    });
    expect(result.code).toBe(0);
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^spec\.id \(absent\): generated "[0-9a-f]{32}"$/),
        'spec.aliases[0] "Shop.Example.org": lower-cased to "shop.example.org" (rule F6)',
        'spec.aliases[1] "shop.example.org": removed, it repeats spec.aliases[0] (rule X4)',
      ]),
    );
    const stored = await getObject(ns, 'domains.api.vimana.host', 'generated');
    const id = (stored['spec'] as { id: string }).id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(stored).toMatchObject({
      metadata: { labels: { 'vimana.host/domain': id } },
      spec: { aliases: ['shop.example.org'] },
    });
    const relabelled = await apply(ns, {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Server',
      metadata: { name: 'shop', labels: { 'vimana.host/domain': MVP_DOMAIN } },
      spec: { id: 'shop', domain: id, services: ['shop.v1.Cart'] },
    });
    expect(relabelled.warnings).toContain(
      `metadata.labels["vimana.host/domain"] "${MVP_DOMAIN}": set to spec.domain "${id}"`,
    );
    expect((await getObject(ns, 'servers.api.vimana.host', 'shop')).metadata?.labels).toEqual({
      'vimana.host/domain': id,
      'vimana.host/server': 'shop',
    });
  });

  it('denies a CREATE and an UPDATE with the rule message, every violation at once; holds a DELETE in use', async () => {
    const component = (version: string, image: string): KubeObject => ({
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Component',
      metadata: { name: 'bad-component' },
      spec: { version, server: 'the-adder-server', domain: MVP_DOMAIN, image },
    });
    const created = await apply(
      ns,
      component('1.2.3-alpha.1', `r.example.com/${MVP_DOMAIN}/the-adder-server:1.2.3`),
    );
    expect(created.code).not.toBe(0);
    expect(created.denials).toEqual([
      'spec.version "1.2.3-alpha.1": must be MAJOR.MINOR.PATCH with an optional undotted pre-release, no build metadata (rule F3)',
      `spec.image "r.example.com/${MVP_DOMAIN}/the-adder-server:1.2.3": version "1.2.3" must equal spec.version "1.2.3-alpha.1" (rule X1)`,
    ]);

    const { objects } = mvpManifest();
    const stored = objects.find((object) => object.kind === 'Component')!;
    const moved = {
      ...stored,
      spec: {
        ...(stored['spec'] as object),
        image: `other.example.com/${MVP_DOMAIN}/the-adder-server:1.0.0`,
      },
    };
    const updated = await apply(ns, moved);
    expect(updated.denials).toEqual([
      expect.stringMatching(
        /^spec\.image "other\.example\.com\/.*": is immutable; create a new version; it was "host\.minikube\.internal:5000\/.*\(rule I4\)$/,
      ),
    ]);

    // In-use protection: the delete is accepted with a warning, and the Domain waits for its Servers.
    const deleted = verdictOf(
      await kubectl(['delete', 'domains.api.vimana.host', 'foo-domain', '-n', ns, '--wait=false']),
    );
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.warnings).toContain(
      `spec.id "${MVP_DOMAIN}": is in use by Servers the-adder-server; it stays Terminating until they are gone (rule D1)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const held = await getObject(ns, 'domains.api.vimana.host', 'foo-domain');
    expect(held.metadata?.deletionTimestamp).toBeDefined();
    expect(held.metadata?.finalizers).toEqual([IN_USE_FINALIZER]);
  });

  it('gives kubectl --dry-run=server the same verdict, without side effects', async () => {
    const server = {
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Server',
      metadata: { name: 'dry' },
      spec: { id: 'dry', domain: MVP_DOMAIN, services: ['dry.v1.Run'], versionWeights: { '2.0.0': 1 } },
    };
    const allowed = await apply(ns, server, '--dry-run=server');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('server.api.vimana.host/dry created (server dry run)');
    expect(ruleIds(allowed.warnings)).toEqual(['R11']);
    expect((await kubectl(['get', 'servers.api.vimana.host', 'dry', '-n', ns])).code).not.toBe(0);

    const clash = { ...server, spec: { ...server.spec, services: ['foo.bar.AdderService'] } };
    const [dryDenial, realDenial] = await Promise.all([
      apply(ns, clash, '--dry-run=server'),
      apply(ns, clash),
    ]);
    expect(dryDenial.denials).toEqual([
      'spec.services[0] "foo.bar.AdderService": is already served by Server the-adder-server (rule R7)',
    ]);
    expect(realDenial.denials).toEqual(dryDenial.denials);

    const dryDelete = verdictOf(
      await kubectl(['delete', 'vimanas.api.vimana.host', 'the-vimana', '-n', ns, '--dry-run=server']),
    );
    expect(dryDelete.code, dryDelete.stderr).toBe(0);
    expect(dryDelete.warnings).toEqual([
      expect.stringMatching(/^metadata\.name "the-vimana": fronts Domains .* \(rule D4\)$/),
    ]);
    expect(
      (await getObject(ns, 'vimanas.api.vimana.host', 'the-vimana')).metadata?.deletionTimestamp,
    ).toBeUndefined();
    // A generated id is no side effect either: nothing was stored.
    const dryDomain = await apply(
      ns,
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'dry' },
        spec: { vimana: 'the-vimana', id: freshDomainId() },
      },
      '--dry-run=server',
    );
    expect(dryDomain.code).toBe(0);
    expect((await kubectl(['get', 'domains.api.vimana.host', 'dry', '-n', ns])).code).not.toBe(0);
  });

  it('is not called for updates that change neither spec nor labels, so finalizers always come off', async () => {
    const before = await reviews('vimana');
    await kubectlOk(['annotate', 'servers.api.vimana.host', 'the-adder-server', '-n', ns, 'team=payments']);
    const server = 'servers.api.vimana.host';
    await mergePatch(ns, server, 'the-adder-server', { metadata: { finalizers: ['example.com/hold'] } });
    await mergePatch(ns, server, 'the-adder-server', { metadata: { finalizers: null } });
    expect(await reviews('vimana')).toBe(before);
    await kubectlOk(['label', 'servers.api.vimana.host', 'the-adder-server', '-n', ns, 'team=payments']);
    expect(await reviews('vimana')).toBe(before + 1);
  });

  it("calls the mutating webhook exactly when the mutation changes the object: kube-apiserver's verdict on its matchConditions", async () => {
    const finalizers = [IN_USE_FINALIZER];
    const domainLabel = { 'vimana.host/domain': MVP_DOMAIN };
    const serverLabels = { ...domainLabel, 'vimana.host/server': 'the-adder-server' };
    const server = (name: string, metadata: object, spec: object = {}): KubeObject => ({
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Server',
      metadata: { name, ...metadata },
      spec: { id: name, domain: MVP_DOMAIN, services: ['foo.bar.Cart'], ...spec },
    });
    const domain = (name: string, aliases: string[]): KubeObject => ({
      apiVersion: 'api.vimana.host/v1alpha1',
      kind: 'Domain',
      metadata: { name, finalizers, labels: { 'vimana.host/domain': name } },
      spec: { id: name, vimana: 'the-vimana', aliases },
    });
    const creates: KubeObject[] = [
      server('calls-plain', {}),
      server('skips-aligned', {
        finalizers,
        labels: { 'vimana.host/domain': MVP_DOMAIN, 'vimana.host/server': 'skips-aligned' },
      }),
      server('calls-relabel', { finalizers, labels: domainLabel }),
      server(
        'calls-repeat',
        { finalizers, labels: { ...domainLabel, 'vimana.host/server': 'calls-repeat' } },
        {
          services: ['foo.bar.Cart', 'foo.bar.Cart'],
        },
      ),
      {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Component',
        metadata: { name: 'skips-unlabelable', finalizers, labels: serverLabels },
        spec: { version: '1.0.0+build', server: 'the-adder-server', domain: MVP_DOMAIN },
      },
      domain(freshDomainId(), ['shop.example.org', 'www.shop.example.org']),
      domain(freshDomainId(), ['Shop.example.org']),
      domain(freshDomainId(), ['shop.example.org', 'shop.example.org']),
      { ...domain(freshDomainId(), []), metadata: { finalizers } },
    ];
    const stored = await getObject(ns, 'servers.api.vimana.host', 'the-adder-server');
    const { managedFields: _, ...storedMetadata } = stored.metadata ?? {};
    const updated = (metadata: object, spec: object): KubeObject => ({
      ...stored,
      metadata: { ...storedMetadata, ...metadata },
      spec: { ...(stored['spec'] as object), ...spec },
    });
    const updates: KubeObject[] = [
      updated({}, { services: ['foo.bar.AdderService', 'foo.bar.Other'] }),
      updated({ labels: { ...serverLabels, team: 'checkout' } }, {}),
      updated({ labels: domainLabel }, {}),
      updated({ labels: { ...serverLabels, 'vimana.host/server': 'other' } }, {}),
      updated({}, { services: ['foo.bar.AdderService', 'foo.bar.AdderService'] }),
    ];
    /** Per object: [whether kube-apiserver called the webhook, whether the mutation changes the object]. */
    async function calledAndChanged(operation: 'CREATE' | 'UPDATE', object: KubeObject) {
      const before = await reviews('vimana-mutate');
      const verb = operation === 'CREATE' ? 'create' : 'replace';
      const result = await kubectl([verb, '-n', ns, '--dry-run=server', '-f', '-'], { input: object });
      // A condition that fails to evaluate denies under failurePolicy Fail, without a call.
      expect(result.stderr).not.toMatch(/match ?condition/i);
      const kind = { group: 'api.vimana.host', version: 'v1alpha1', kind: object.kind ?? '' };
      const mutated = mutateVimana({ operation, kind, object: structuredClone(object) }).object;
      return [object.metadata?.name, (await reviews('vimana-mutate')) - before, !sameJson(mutated, object)];
    }
    const outcomes = [];
    for (const object of creates) outcomes.push(await calledAndChanged('CREATE', object));
    for (const object of updates) outcomes.push(await calledAndChanged('UPDATE', object));
    expect(outcomes.map(([name, , changed]) => [name, changed ? 1 : 0])).toEqual(
      outcomes.map(([name, calls]) => [name, calls]),
    );
    expect(outcomes.filter(([, calls]) => calls === 0)).toHaveLength(5);
  });

  it('calls the status webhook only for a status write that leaves out what prismgate holds', async () => {
    const resource = 'servers.api.vimana.host';
    const stored = await eventually('the Server status from prismgate', async () => {
      const object = await getObject(ns, resource, 'the-adder-server');
      expect(object['status']).toHaveProperty('serverName');
      return object;
    });
    const { managedFields: _, ...metadata } = stored.metadata ?? {};
    const { serverName: __, ...withoutServerName } = stored['status'] as Record<string, unknown>;
    async function statusCalls(status: object): Promise<number> {
      const before = await reviews('vimana-status');
      const object = { ...stored, metadata, status };
      await kubectl(['replace', '--subresource=status', '-n', ns, '--dry-run=server', '-f', '-'], {
        input: object,
      });
      return (await reviews('vimana-status')) - before;
    }
    expect(await statusCalls({ ...(stored['status'] as object), observedGeneration: 1 })).toBe(0);
    expect(await statusCalls(withoutServerName)).toBe(1);
  });

  it('prismgate validate --kubeconfig judges a set against the cluster: parents found there, stored objects as updates', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'validate-'));
    const { objects } = mvpManifest();
    const component = objects.find((object) => object.kind === 'Component')!;
    const file = path.join(dir, 'set.yaml');
    writeFileSync(
      file,
      [
        // A new Server whose Domain is only in the cluster.
        {
          apiVersion: 'api.vimana.host/v1alpha1',
          kind: 'Server',
          metadata: { name: 'validated' },
          spec: { id: 'validated', domain: MVP_DOMAIN, services: ['validated.v1.S'] },
        },
        // The stored Component with its image moved: an update, denied by I4.
        {
          ...component,
          spec: {
            ...(component['spec'] as object),
            image: `moved.example.com/${MVP_DOMAIN}/the-adder-server:1.0.0`,
          },
        },
      ]
        .map((object) => stringify(object))
        .join('---\n'),
    );
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    const code = await validateCommand(['-f', file, '-n', ns, '--kubeconfig', inject('kubeconfig')], output);
    expect(code).toBe(1);
    expect(lines).toContain('server.api.vimana.host/validated valid (create)');
    expect(lines.join('\n')).toMatch(
      /error when validating ".*set\.yaml": component\.api\.vimana\.host "baz-component" in namespace ".*" is invalid: spec\.image .*\(rule I4\)/,
    );
    // Offline, the Server's Domain is unknown.
    const offline: string[] = [];
    await validateCommand(['-f', file, '-n', ns], { out: () => {}, err: (line) => offline.push(line) });
    expect(offline.join('\n')).toMatch(
      /server\.api\.vimana\.host "validated" .* is invalid: spec\.domain .*\(rule R3\)/,
    );
  });
});
