import path from 'node:path';
import { kubectlOk, repoRoot } from './cluster.ts';

let installed: Promise<void> | undefined;

/** Applies every CRD of manifests/crds (server-side apply) and waits until each is Established. */
export function ensureCrds(): Promise<void> {
  installed ??= (async () => {
    const dir = path.join(repoRoot, 'manifests', 'crds');
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', dir]);
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', '-f', dir]);
  })();
  return installed;
}
