/**
 * etcd and kube-apiserver restarted under a running prismgate. The test has a control plane of its own (in
 * a temporary folder), so the restarts leave the one the other files share alone.
 *
 * After each restart, the cluster changes at once: a Server is deleted and another created while
 * prismgate's watches are still broken or re-listing. The test then proves that
 * - caches resync and no verdict is stale: R4 denies a Component of the deleted Server and admits one of
 *   the new Server;
 * - watches resume: the status reconciler sees a Component created after the restart (the Server's
 *   missingComponents empties), and the prism API lists an Application created after it;
 * - prismgate is ready again and `APIService v1.prism.kappnav.io` returns to Available.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { LocalControlPlane } from '../control-plane/local-control-plane.ts';
import { installPrismgateIdentity } from '../control-plane/prismgate-identity.ts';
import { component, domain, server, vimana } from './reliability-fixtures.ts';
import { eventually, kubectl, repoRoot, type KubectlResult } from './support/cluster.ts';
import { PrismgateMain } from './support/prismgate-main.ts';
import { freshDomainId } from './vimana-gate.ts';

/** Recovery includes the informers' back-off (up to 30 s between attempts) on a shared 2-core machine. */
const RECOVERY_MS = 180_000;

describe('control-plane restarts under prismgate', () => {
  let dir: string;
  let controlPlane: LocalControlPlane | undefined;
  let prismgate: PrismgateMain | undefined;

  const run = (args: string[], input?: object | object[]): Promise<KubectlResult> =>
    kubectl(args, { kubeconfig: controlPlane!.kubeconfig, ...(input ? { input } : {}) });
  const runOk = async (args: string[], input?: object | object[]): Promise<string> => {
    const result = await run(args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  /** `kubectl create --dry-run=server`: the verdict of the webhooks, nothing stored. */
  const dryRun = (namespace: string, object: KubeObject) =>
    run(['create', '--dry-run=server', '-n', namespace, '-f', '-'], object);
  const apiServiceAvailable = async () =>
    (
      await run([
        'get',
        'apiservice',
        'v1.prism.kappnav.io',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Available")].status}',
      ])
    ).stdout === 'True';
  const missingComponents = async (namespace: string, name: string) =>
    (await run(['get', 'server', name, '-n', namespace, '-o', 'jsonpath={.status.missingComponents}']))
      .stdout;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'prismgate-reliability-'));
    controlPlane = await LocalControlPlane.start({ dir });
    const crds = path.join(repoRoot, 'manifests', 'crds');
    await runOk(['create', 'namespace', 'kappnav']);
    await runOk(['apply', '--server-side', '-f', crds]);
    await runOk(['wait', '--for=condition=Established', '--timeout=60s', '-f', crds]);
    await runOk(['apply', '--server-side', '-f', path.join(repoRoot, 'manifests', 'kappnav')]);
    // As its ServiceAccount, as in every e2e file: this control plane is the file's own.
    const kubeconfig = await installPrismgateIdentity({
      adminKubeconfig: controlPlane.kubeconfig,
      server: controlPlane.server,
      caPem: controlPlane.pki.ca.certPem,
      file: path.join(dir, 'prismgate.kubeconfig'),
    });
    prismgate = await PrismgateMain.start({ kubeconfig, identity: 'reliability' });
    await eventually('prismgate to be ready', () => prismgate!.ready(), 120_000, 500);
    await eventually('the APIService to be Available', apiServiceAvailable, 120_000, 500);
  }, 600_000);
  afterAll(async () => {
    await prismgate?.stop();
    await controlPlane?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it.each(['etcd', 'kube-apiserver'] as const)(
    'after a %s restart: caches resync, no stale verdict, watches resume, the APIService is Available',
    async (name) => {
      const ns = `rel-${name}`;
      const id = freshDomainId();
      await runOk(['create', 'namespace', ns]);
      await runOk(['apply', '-n', ns, '-f', '-'], [vimana(ns), domain(ns, id), server(ns, id, 'alpha')]);
      // Before: the Server is in prismgate's caches (R4 admits its Component) and its status is computed.
      expect((await dryRun(ns, component(ns, id, 'alpha', '1.0.0'))).code).toBe(0);
      await eventually(
        'the status of alpha',
        async () => (await missingComponents(ns, 'alpha')) === '["1.0.0"]',
      );

      await controlPlane!.restart(name, 3_000);
      const restarted = Date.now();

      // At once, while prismgate's watches are broken or re-listing: alpha goes, beta comes. Retried until
      // the API server answers; an attempt that went through but lost its reply counts as done.
      await eventually(
        'alpha to be deleted',
        async () => (await run(['delete', 'server', 'alpha', '-n', ns, '--ignore-not-found'])).code === 0,
        RECOVERY_MS,
        500,
      );
      await eventually(
        'beta to be created',
        async () => {
          const created = await run(['create', '-n', ns, '-f', '-'], server(ns, id, 'beta'));
          return created.code === 0 || created.stderr.includes('AlreadyExists');
        },
        RECOVERY_MS,
        500,
      );

      // No stale verdict once the caches have caught up: the deleted Server no longer exists for R4 …
      await eventually(
        'R4 to deny a Component of the deleted Server alpha',
        async () => (await dryRun(ns, component(ns, id, 'alpha', '1.0.1'))).stderr.includes('(rule R4)'),
        RECOVERY_MS,
        500,
      );
      // … and the new one does.
      await eventually(
        'R4 to admit a Component of the new Server beta',
        async () => (await dryRun(ns, component(ns, id, 'beta', '1.0.0'))).code === 0,
        RECOVERY_MS,
        500,
      );

      // Watches resume: the reconciler computes beta's status, then sees its Component arrive.
      await eventually(
        'the status of beta',
        async () => (await missingComponents(ns, 'beta')) === '["1.0.0"]',
        RECOVERY_MS,
        500,
      );
      await runOk(['create', '-n', ns, '-f', '-'], component(ns, id, 'beta', '1.0.0'));
      await eventually(
        'beta to miss no Component',
        async () => (await missingComponents(ns, 'beta')) === '[]',
        RECOVERY_MS,
        500,
      );

      // The prism API: Available again, and serving an Application created after the restart.
      await runOk(['create', '-n', ns, '-f', '-'], {
        apiVersion: 'app.k8s.io/v1beta1',
        kind: 'Application',
        metadata: { name: 'after-restart' },
        spec: {
          componentKinds: [{ group: 'api.vimana.host', kind: 'Server' }],
          selector: { matchLabels: {} },
        },
      });
      await eventually('the APIService to be Available', apiServiceAvailable, RECOVERY_MS, 500);
      await eventually(
        'the prism API to list the new Application',
        async () =>
          (await run(['get', 'prismapplications', '-n', ns, '-o', 'name'])).stdout.includes('after-restart'),
        RECOVERY_MS,
        500,
      );
      expect(await prismgate!.ready()).toBe(true);
      console.log(`${name} restart: prismgate current again ${(Date.now() - restarted) / 1000} s after`);
    },
    600_000,
  );
});
