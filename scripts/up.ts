// `npm run up`: the local control plane with prismgate running against it: the CRDs (the Vimana ones only
// where none is installed), the user roles and kAppNav's default maps installed, prismgate registered
// through an ExternalName Service (webhooks and the prism APIService), and deregistered again on Ctrl-C
// (which also takes prismgate's in-use finalizer off every Vimana object).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { KappnavFeature } from '../features/kappnav/feature.ts';
import { defaultFeatures } from '../src/default-features.ts';
import { createLogger } from '../src/logger.ts';
import { Prismgate, loadKubeConfig } from '../src/prismgate.ts';
import { WEBHOOK_CLIENT_NAME } from '../test/control-plane/cluster-pki.ts';
import { runInForeground } from '../test/control-plane/foreground.ts';
import { installPrismgateIdentity } from '../test/control-plane/prismgate-identity.ts';
import { eventually } from '../test/support/eventually.ts';

await runInForeground('up', async (controlPlane, kubeconfig) => {
  const kubectl = (...args: string[]) =>
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { stdio: 'pipe' });
  console.log(
    '[up] installing the CRDs, the user roles, the trusted-map policy and kAppNav default maps (manifests/crds, manifests/deploy/user-roles.yaml, manifests/deploy/trusted-command-maps.yaml, manifests/kappnav)',
  );
  kubectl('create', 'namespace', 'kappnav');
  installCrds(kubectl);
  kubectl('wait', '--for=condition=Established', '--timeout=60s', '-f', 'manifests/crds');
  kubectl('apply', '--server-side', '-f', 'manifests/deploy/user-roles.yaml');
  kubectl('apply', '--server-side', '-f', 'manifests/deploy/trusted-command-maps.yaml');
  kubectl('apply', '--server-side', '-f', 'manifests/kappnav');
  // prismgate runs as its ServiceAccount with exactly the RBAC of manifests/deploy/, as in a cluster.
  console.log("[up] installing prismgate's ServiceAccount and RBAC (manifests/deploy, manifests/local)");
  const identity = await installPrismgateIdentity({
    adminKubeconfig: kubeconfig,
    server: controlPlane.server,
    caPem: controlPlane.pki.ca.certPem,
    file: path.resolve('.prismgate', 'prismgate.kubeconfig'),
    hours: 30 * 24,
  });
  const kappnav = new KappnavFeature();
  const prismgate = await Prismgate.start({
    kubeConfig: loadKubeConfig(identity),
    features: defaultFeatures(kappnav),
    apiServer: kappnav.prismApiServer(),
    log: createLogger(process.env.LOG_LEVEL ?? 'info'),
    host: '127.0.0.1',
    webhookPort: 0,
    apiPort: 0,
    registration: 'local',
    deregisterOnStop: true,
    // kube-apiserver presents this certificate to webhooks (its admission configuration); nobody else is answered.
    webhookClients: { caPem: controlPlane.pki.webhookClientCa.certPem, names: [WEBHOOK_CLIENT_NAME] },
  });
  // "prismgate started" comes before kube-aggregator serves the group in discovery; `kubectl get prism`
  // right then would answer that no such resource type exists.
  await eventually('the prism API in discovery', () => prismDiscovered(kubectl), 60_000, 500).catch(
    async (error: unknown) => {
      await prismgate.stop();
      throw error;
    },
  );
  console.log(
    `[up] prismgate: webhooks on https://127.0.0.1:${prismgate.webhookPort}, prism API on https://127.0.0.1:${prismgate.apiPort}` +
      `\n[up] try: kubectl get prism -A; kubectl apply -f manifests/samples/vimana-mvp.yaml -n default`,
  );
  return () => prismgate.stop();
});

/**
 * prismgate's own CRDs are applied (kept current with the checkout); the Vimana CRDs are created only
 * where no CRD of that name exists: a cluster running the Vimana operator has the operator's, which are
 * never replaced (prismgate then writes only what their schema keeps; docs/vimana-operator.md).
 */
function installCrds(kubectl: (...args: string[]) => Buffer): void {
  for (const file of readdirSync('manifests/crds')
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const path = `manifests/crds/${file}`;
    if (!file.startsWith('api.vimana.host_')) {
      kubectl('apply', '--server-side', '-f', path);
      continue;
    }
    try {
      kubectl('create', '-f', path);
    } catch (error) {
      if (!String((error as { stderr?: Buffer }).stderr).includes('AlreadyExists')) throw error;
      console.log(`[up] ${path}: a CRD of that name is installed already; kept as it is`);
    }
  }
}

/** Whether kube-aggregator serves the prism group in discovery yet. */
function prismDiscovered(kubectl: (...args: string[]) => Buffer): boolean {
  try {
    return kubectl('api-resources', '--api-group=prism.kappnav.io', '-o', 'name').toString().trim() !== '';
  } catch {
    // Discovery fails as a whole while an aggregated group is registered but not yet reachable.
    return false;
  }
}
