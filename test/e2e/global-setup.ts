/**
 * Starts one real control plane for the whole e2e run and hands its coordinates to the test files, with
 * prismgate's own identity installed (its ServiceAccount and exactly the RBAC of manifests/deploy/): every
 * prismgate a test starts runs as that ServiceAccount, never as the administrator.
 * It stops when the run ends; supervise.sh stops it too if the run is killed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { LocalControlPlane } from '../control-plane/local-control-plane.ts';
import { installPrismgateIdentity } from '../control-plane/prismgate-identity.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    developerKubeconfig: string;
    /** prismgate's ServiceAccount (a TokenRequest token): what prismgate runs as in every test. */
    prismgateKubeconfig: string;
    server: string;
    pkiDir: string;
    controlPlaneDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-e2e-'));
  const controlPlane = await LocalControlPlane.start({
    dir,
    log: (line) => console.log(`[control-plane] ${line}`),
  });
  project.provide('kubeconfig', controlPlane.kubeconfig);
  project.provide('developerKubeconfig', controlPlane.developerKubeconfig);
  project.provide(
    'prismgateKubeconfig',
    await installPrismgateIdentity({
      adminKubeconfig: controlPlane.kubeconfig,
      server: controlPlane.server,
      caPem: controlPlane.pki.ca.certPem,
      file: path.join(dir, 'prismgate.kubeconfig'),
    }),
  );
  project.provide('server', controlPlane.server);
  project.provide('pkiDir', controlPlane.pki.dir);
  project.provide('controlPlaneDir', controlPlane.dir);
  return async () => {
    await controlPlane.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
