/**
 * Starts one real control plane for the whole e2e run and hands its coordinates to the test files.
 * It stops when the run ends; supervise.sh stops it too if the run is killed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureKubectl } from '../control-plane/binaries.ts';
import { LocalControlPlane } from '../control-plane/local-control-plane.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    developerKubeconfig: string;
    server: string;
    pkiDir: string;
    controlPlaneDir: string;
    /** kubectl of the control plane's release, built from Go modules (the machine's `kubectl` is older). */
    currentKubectl: string;
  }
}

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[control-plane] ${line}`);
  const kubectl = await ensureKubectl(log);
  const dir = mkdtempSync(path.join(tmpdir(), 'prismgate-e2e-'));
  const controlPlane = await LocalControlPlane.start({
    dir,
    log,
  });
  project.provide('kubeconfig', controlPlane.kubeconfig);
  project.provide('developerKubeconfig', controlPlane.developerKubeconfig);
  project.provide('server', controlPlane.server);
  project.provide('pkiDir', controlPlane.pki.dir);
  project.provide('controlPlaneDir', controlPlane.dir);
  project.provide('currentKubectl', kubectl.path);
  return async () => {
    await controlPlane.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
