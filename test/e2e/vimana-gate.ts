/** What the Vimana e2e files share: prismgate with the Vimana gate, ids, namespaces, kubectl verdicts. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type { PrismgateOptions, Prismgate } from '../../src/prismgate.ts';
import { VimanaFeature } from '../../features/vimana/feature.ts';
import { freshNamespace, kubectl, kubectlOk, repoRoot } from './support/cluster.ts';
import { ensureCrds } from './support/crds.ts';
import { startPrismgate } from './support/prismgate.ts';

/** prismgate running the Vimana gate against the e2e control plane, registered, caches synced. */
export async function startVimanaGate(extra: Partial<PrismgateOptions> = {}): Promise<Prismgate> {
  await ensureCrds();
  return startPrismgate([new VimanaFeature()], extra);
}

/** A Domain id no other test uses: R8 makes ids unique across the whole cluster, which all files share. */
export function freshDomainId(): string {
  return randomBytes(16).toString('hex');
}

/** Namespaces created by a file, deleted when it ends (namespaces are cluster-wide objects). */
export class TestNamespaces {
  private readonly created: string[] = [];

  async create(prefix: string): Promise<string> {
    const name = await freshNamespace(prefix);
    this.created.push(name);
    return name;
  }

  /** Starts the deletions without waiting: the next file needs none of these namespaces. */
  async deleteAll(): Promise<void> {
    if (this.created.length > 0) await kubectl(['delete', 'namespace', '--wait=false', ...this.created]);
  }
}

/** The objects with every occurrence of the given strings replaced, in names, specs, labels and images. */
export function replacing<T>(value: T, replacements: Record<string, string>): T {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/** The documents of manifests/samples/vimana-mvp.yaml. */
export function mvpManifest(): { text: string; objects: KubeObject[] } {
  const text = readFileSync(path.join(repoRoot, 'manifests', 'samples', 'vimana-mvp.yaml'), 'utf8');
  return { text, objects: parseAllDocuments(text).map((document) => document.toJS() as KubeObject) };
}

/** What kubectl reported: exit code, the gate's denials (one message per violation) and its warnings. */
export interface Verdict {
  code: number;
  denials: string[];
  warnings: string[];
  stdout: string;
  stderr: string;
}

/**
 * kubectl prints a webhook denial as `admission webhook "<name>" denied the request: <message>`, where the
 * message is one violation, or `N violations:` followed by one `- <violation>` line each.
 */
export function verdictOf(result: { code: number; stdout: string; stderr: string }): Verdict {
  // One `denied the request:` per rejected document of a multi-document apply.
  const denials = result.stderr
    .split('denied the request: ')
    .slice(1)
    .flatMap((chunk) => {
      const [first = '', ...rest] = chunk.split('\n');
      if (!/^\d+ violations:$/.test(first.trim())) return [first.trim()];
      const items: string[] = [];
      for (const line of rest) {
        if (!line.startsWith('- ')) break;
        items.push(line.slice(2));
      }
      return items;
    });
  return {
    ...result,
    denials,
    warnings: result.stderr
      .split('\n')
      .filter((line) => line.startsWith('Warning: '))
      .map((line) => line.slice('Warning: '.length)),
  };
}

/** `kubectl apply -f -` of the objects in one namespace; never throws. */
export async function apply(
  namespace: string,
  objects: object | object[],
  ...flags: string[]
): Promise<Verdict> {
  return verdictOf(await kubectl(['apply', '-n', namespace, ...flags, '-f', '-'], { input: objects }));
}

/** `kubectl patch --type=merge`, which must succeed. */
export async function mergePatch(
  namespace: string,
  resource: string,
  name: string,
  patch: object,
): Promise<void> {
  await kubectlOk(['patch', resource, name, '-n', namespace, '--type=merge', '-p', JSON.stringify(patch)]);
}

/** `kubectl get <kind> <name> -o json`, parsed, with its managedFields. */
export async function getObject(namespace: string, resource: string, name: string): Promise<KubeObject> {
  return JSON.parse(
    await kubectlOk(['get', resource, name, '-n', namespace, '-o', 'json', '--show-managed-fields']),
  ) as KubeObject;
}
