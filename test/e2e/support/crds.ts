import path from 'node:path';
import { kubectl, kubectlOk, repoRoot } from './cluster.ts';

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
    await applyCrds(dir);
  })();
  return installed;
}

/**
 * Server-side apply of CRD files, taking them over from whichever manager had them, then Established.
 * `kubectl wait` fails at once ("accessor error: <nil>") on a CRD that kube-apiserver has not given a
 * status yet, which a loaded machine shows now and then right after the apply: such a wait is tried again,
 * at most five times.
 */
export async function applyCrds(files: string): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', files]);
  for (let attempt = 1; ; attempt++) {
    const wait = await kubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', files]);
    if (wait.code === 0) return;
    if (attempt === 5 || !wait.stderr.includes('accessor error'))
      throw new Error(`kubectl wait for CRDs in ${files} failed (${wait.code}): ${wait.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
