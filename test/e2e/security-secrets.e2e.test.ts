/**
 * Finding 11 of issue 15, the Secrets part: prismgate kept every `kubernetes.io/tls` Secret of the cluster
 * in memory whole, private keys included, although rule R12 only asks whether a Secret of that name exists.
 * A metadata-only cache (PartialObjectMetadata over the wire, annotations dropped: kubectl's
 * last-applied-configuration repeats a Secret's data) holds names, never keys.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, DAY_MS, issueServingCertificate } from '../../certs/pki.ts';
import { canonicalHostname, tlsSecretName } from '../../features/vimana/names.ts';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { ResourceCache } from '../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import type { Prismgate } from '../../src/prismgate.ts';
import { eventually, freshNamespace, kubeConfig, kubectl, kubectlOk } from './support/cluster.ts';
import {
  freshDomainId,
  mvpManifest,
  replacing,
  startVimanaGate,
  TestNamespaces,
  verdictOf,
} from './vimana-gate.ts';

const MVP_DOMAIN = '00000000000000000000000000000001';
const ca = createCertificateAuthority('security-secrets-e2e', { validForMs: DAY_MS });

/** A TLS Secret with a real key, applied client-side so that its last-applied annotation repeats the key. */
async function applyTlsSecret(namespace: string, name: string): Promise<string> {
  const serving = issueServingCertificate(ca, name, [`${name}.example.com`], { validForMs: DAY_MS });
  const key = Buffer.from(serving.keyPem).toString('base64');
  await kubectlOk(['apply', '-f', '-'], {
    input: {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name, namespace, labels: { purpose: 'e2e' } },
      data: { 'tls.crt': Buffer.from(serving.certPem).toString('base64'), 'tls.key': key },
    },
  });
  return key;
}

/** Fragments of key material, base64 or PEM, that must appear nowhere in a cache. */
function expectNoKeys(cached: unknown, keys: readonly string[]): void {
  const text = JSON.stringify(cached);
  for (const key of keys) expect(text).not.toContain(key.slice(40, 80));
  expect(text).not.toContain('PRIVATE KEY');
  expect(text).not.toContain('last-applied-configuration');
}

describe('a metadata-only cache', () => {
  let ns: string;
  let cache: ResourceCache;

  beforeAll(async () => {
    ns = await freshNamespace('meta-cache');
  });
  afterAll(async () => {
    await cache?.stop();
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
  });

  it('lists and watches names, labels and versions of TLS Secrets, never their data or annotations', async () => {
    const keys = [await applyTlsSecret(ns, 'before')];
    cache = new ResourceCache({
      client: new KubeClient(kubeConfig()),
      type: CORE_TYPES.secrets,
      namespace: ns,
      fieldSelector: 'type=kubernetes.io/tls',
      metadataOnly: true,
      log: pino({ level: 'silent' }),
    });
    await cache.start().synced;
    expect(cache.get(ns, 'before')).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'before', namespace: ns, labels: { purpose: 'e2e' } },
    });
    keys.push(await applyTlsSecret(ns, 'during'));
    await eventually('the watch to add a Secret', () => cache.get(ns, 'during'));
    keys.push(await applyTlsSecret(ns, 'during'));
    await eventually(
      'the watch to follow a change',
      () => cache.get(ns, 'during')?.metadata?.resourceVersion !== undefined,
    );
    for (const secret of cache.list())
      expect(Object.keys(secret).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expectNoKeys(cache.list(), keys);
    await kubectlOk(['delete', 'secret', 'during', '-n', ns]);
    await eventually('the watch to delete it', () => cache.get(ns, 'during') === undefined);
  });
});

describe('the Vimana gate (R12)', () => {
  const namespaces = new TestNamespaces();
  let prismgate: Prismgate;

  beforeAll(async () => {
    prismgate = await startVimanaGate();
  });
  afterAll(async () => {
    await prismgate?.stop();
    await namespaces.deleteAll();
  });

  it("tells from names alone whether a Domain's TLS Secret exists, and keeps no key in memory", async () => {
    const ns = await namespaces.create('tls-names');
    const id = freshDomainId();
    const objects = replacing(mvpManifest().objects, { [MVP_DOMAIN]: id });
    const key = await applyTlsSecret(ns, tlsSecretName(canonicalHostname(id)));
    // The canonical hostname has its Secret; the alias (api.vimana.host) has none.
    const verdict = await eventually('R12 to see the Secret', async () => {
      const result = verdictOf(
        await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', '-'], { input: objects }),
      );
      return result.warnings.filter((w) => w.includes('(rule R12)')).length === 1 ? result : undefined;
    });
    expect(verdict.warnings.find((w) => w.includes('(rule R12)'))).toContain(
      'spec.aliases[0] "api.vimana.host"',
    );
    const secretCaches = prismgate.services.caches.all().filter((c) => c.type.resource === 'secrets');
    expect(secretCaches.length).toBeGreaterThan(0);
    const cached = secretCaches.flatMap((c) => c.list());
    expect(cached.map((s) => s.metadata?.name)).toContain(tlsSecretName(canonicalHostname(id)));
    expectNoKeys(cached, [key]);
  });
});
