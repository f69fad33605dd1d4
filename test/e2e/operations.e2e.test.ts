/**
 * Operating prismgate: certificates that rotate under load, a CA rollover, leader election across two
 * processes, and a rolling restart under a steady stream of applies, all on the real control plane.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitPem } from '../../certs/ca-bundle.ts';
import { ManagedCertificates, type ManagedCertificateOptions } from '../../certs/certificate-manager.ts';
import type { Prismgate, PrismgateOptions } from '../../src/prismgate.ts';
import { eventually, freshNamespace, kubectl, kubectlOk } from './support/cluster.ts';
import { startAdmissionStream } from './support/admission-stream.ts';
import { startApiStream } from './support/api-stream.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';
import { probeFeature } from './support/probe-feature.ts';
import { prismApiWithOwnRuntime } from './support/prism-api.ts';

type CertTuning = Partial<Omit<ManagedCertificateOptions, 'client' | 'namespace' | 'serviceName' | 'log'>>;

function withCertificates(tuning: CertTuning): Partial<PrismgateOptions> {
  return {
    certificates: (services, isLeader) =>
      new ManagedCertificates({
        client: services.client,
        namespace: services.namespace,
        serviceName: 'prismgate',
        log: services.log,
        extraHosts: ['localhost', '127.0.0.1', '::1'],
        isLeader,
        ...tuning,
      }),
  };
}

/** The certificate the listener presents to a new TLS connection right now. */
function presentedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

async function registeredBundle(): Promise<string> {
  const config = JSON.parse(
    await kubectlOk(['get', 'validatingwebhookconfiguration', 'prismgate', '-o', 'json']),
  );
  return Buffer.from(config.webhooks[0].clientConfig.caBundle, 'base64').toString();
}

const running: Prismgate[] = [];
async function start(extra: Partial<PrismgateOptions>): Promise<Prismgate> {
  // With the prism API too: rotations must keep the APIService Available as well as the webhooks.
  // No deregistration between scenarios: kube-aggregator re-trusts a deleted and re-created APIService
  // only after a backoff of about a minute; the next scenario's leader re-points the registration instead.
  const prismgate = await startPrismgate([probeFeature('ops-')], {
    apiServer: prismApiWithOwnRuntime,
    deregisterOnStop: false,
    ...extra,
  });
  running.push(prismgate);
  if (prismgate.leader.isLeader()) {
    // The aggregator probes a new backend, then updates its proxy from the APIService status: measure
    // from the moment a read through it succeeds.
    await eventually(
      'the prism API to answer through the aggregator',
      async () => (await kubectl(['get', '--raw', '/apis/prism.kappnav.io/v1/prismnamespaces'])).code === 0,
      60_000,
      250,
    );
  }
  return prismgate;
}

describe('operating prismgate', () => {
  let ns: string;

  beforeEach(async () => {
    // The prism API is ready only with the Application and KindActionMapping CRDs served.
    await ensureCrds();
    // Each scenario starts from fresh certificates and no leader.
    await kubectl([
      'delete',
      'secret',
      'prismgate-ca',
      'prismgate-tls',
      '-n',
      'prismgate-system',
      '--ignore-not-found',
    ]);
    await kubectl(['delete', 'lease', 'prismgate-leader', '-n', 'prismgate-system', '--ignore-not-found']);
    ns = await freshNamespace('ops');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });
  afterAll(async () => {
    // Processes stopped without deregistering leave their registration behind: clear it for later files.
    await kubectl(['delete', 'validatingwebhookconfiguration', 'prismgate', '--ignore-not-found']);
    await kubectl(['delete', 'mutatingwebhookconfiguration', 'prismgate', '--ignore-not-found']);
    await kubectl(['delete', 'apiservice', 'v1.prism.kappnav.io', '--ignore-not-found']);
  });

  it('rotates a serving certificate that expires in seconds, hot, with no failed request', async () => {
    const prismgate = await start(
      withCertificates({ servingValidityMs: 12_000, renewAt: 0.5, checkIntervalMs: 1_000 }),
    );
    const seen = new Set<string>([fingerprint(prismgate.certificates.current().serving.certPem)]);
    const stream = startAdmissionStream(ns);
    const api = startApiStream();
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      seen.add(fingerprint(prismgate.certificates.current().serving.certPem));
      await sleep(500);
    }
    const result = await stream.stop();
    const reads = await api.stop();
    // A certificate renewed at half of 12 s: at least three different ones over 20 s.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    // New connections get the current certificate: the listener reloaded without a restart.
    expect(await presentedFingerprint(prismgate.webhookPort)).toBe(
      fingerprint(prismgate.certificates.current().serving.certPem),
    );
    expect(result.failures).toEqual([]);
    expect(result.allowed).toBeGreaterThan(50);
    expect(result.denied).toBeGreaterThan(10);
    // The APIService stayed Available and every prism read through the aggregator succeeded.
    expect(reads.failures).toEqual([]);
    expect(reads.reads).toBeGreaterThan(20);
    expect(await presentedFingerprint(prismgate.apiPort)).toBe(
      fingerprint(prismgate.certificates.current().serving.certPem),
    );
  });

  it('rolls the CA over with both CAs in the bundle, then serves from the new CA, with no failed request', async () => {
    const prismgate = await start(
      withCertificates({
        caValidityMs: 16_000,
        renewAt: 0.5,
        caPropagationMs: 3_000,
        checkIntervalMs: 1_000,
      }),
    );
    const firstCa = splitPem(prismgate.caBundle)[0]!;
    const stream = startAdmissionStream(ns);
    const api = startApiStream();
    // The CA renews at half of its 16 s: the registered bundle then holds both CAs.
    const both = await eventually(
      'both CAs in the registered bundle',
      async () => {
        const bundle = await registeredBundle();
        return splitPem(bundle).length === 2 ? bundle : undefined;
      },
      20_000,
      250,
    );
    expect(splitPem(both).map(fingerprint)).toContain(fingerprint(firstCa));
    // After the propagation delay, the serving certificate comes from the new CA.
    const newCa = splitPem(both).find((pem) => fingerprint(pem) !== fingerprint(firstCa))!;
    await eventually(
      'a serving certificate issued by the new CA',
      () =>
        new X509Certificate(prismgate.certificates.current().serving.certPem).checkIssued(
          new X509Certificate(newCa),
        ),
      20_000,
      250,
    );
    await sleep(2_000);
    const result = await stream.stop();
    const reads = await api.stop();
    expect(result.failures).toEqual([]);
    expect(result.allowed + result.denied).toBeGreaterThan(40);
    expect(reads.failures).toEqual([]);
    const apiService = JSON.parse(
      await kubectlOk(['get', 'apiservice', 'v1.prism.kappnav.io', '-o', 'json']),
    );
    expect(splitPem(Buffer.from(apiService.spec.caBundle, 'base64').toString()).map(fingerprint)).toContain(
      fingerprint(newCa),
    );
  });

  it('elects one leader among two processes; the survivor takes over registration', async () => {
    const lease = { leaseDurationSeconds: 3, shutdownDelayMs: 2_500, deregisterOnStop: false };
    const a = await start(lease);
    const b = await start(lease);
    expect([a.leader.isLeader(), b.leader.isLeader()].filter(Boolean)).toHaveLength(1);
    const [leader, follower] = a.leader.isLeader() ? [a, b] : [b, a];
    const registeredPort = async () =>
      JSON.parse(await kubectlOk(['get', 'validatingwebhookconfiguration', 'prismgate', '-o', 'json']))
        .webhooks[0].clientConfig.service.port;
    expect(await registeredPort()).toBe(leader.webhookPort);
    await leader.stop();
    running.splice(running.indexOf(leader), 1);
    await eventually('the follower to lead', () => follower.leader.isLeader(), 10_000);
    expect(
      await eventually(
        'registration to point at the new leader',
        async () => (await registeredPort()) === follower.webhookPort,
        10_000,
      ),
    ).toBe(true);
    const denied = await kubectl(['create', 'configmap', 'forbidden-after', '-n', ns]);
    expect(denied.stderr).toContain('is forbidden here (rule P1)');
  });

  it('loses no request during a rolling restart under a steady stream of applies', async () => {
    const lease = { leaseDurationSeconds: 3, shutdownDelayMs: 3_000, deregisterOnStop: false };
    const first = await start(lease);
    const stream = startAdmissionStream(ns, 50);
    const api = startApiStream();
    await sleep(2_000);
    // Replace each replica in turn, as a Deployment rollout with maxUnavailable 0 does.
    const second = await start(lease);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const third = await start(lease);
    await second.stop();
    running.splice(running.indexOf(second), 1);
    await sleep(2_000);
    const result = await stream.stop();
    const reads = await api.stop();
    console.log(
      `rolling restart: ${result.sent} requests, ${result.allowed} allowed, ${result.denied} denied, ${result.failures.length} failed; ` +
        `${reads.reads} prism API reads, ${reads.failures.length} failed`,
    );
    expect(result.failures).toEqual([]);
    expect(reads.failures).toEqual([]);
    expect(result.denied).toBeGreaterThan(0);
    expect(third.leader.isLeader()).toBe(true);
  });
});
