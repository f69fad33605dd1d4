import path from 'node:path';
import { kubectlOk, repoRoot } from './cluster.ts';

let installed: Promise<void> | undefined;

/**
 * Applies every CRD of manifests/crds (server-side apply, taking them over from any other manager: the
 * tests own this cluster) and waits until each is Established. Once per file, unless `again`: a file that
 * installed the operator's CRDs in their place puts prismgate's back.
 */
export function ensureCrds(again = false): Promise<void> {
  if (again) installed = undefined;
  installed ??= (async () => {
    const dir = path.join(repoRoot, 'manifests', 'crds');
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', dir]);
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', '-f', dir]);
  })();
  return installed;
}
