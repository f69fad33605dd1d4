/** Reading a peer's own manifests (CRDs) from its module source. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Every YAML document under `paths` (files, or folders read recursively), in a stable order. */
export function readManifests(paths: readonly string[]): Record<string, unknown>[] {
  return paths.flatMap(yamlFiles).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((document) => document.toJS() as Record<string, unknown> | null)
      .filter((object): object is Record<string, unknown> => object !== null && 'kind' in object),
  );
}

function yamlFiles(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return /\.ya?ml$/.test(entry) ? [entry] : [];
  return readdirSync(entry)
    .sort()
    .flatMap((name) => yamlFiles(path.join(entry, name)));
}

export const isCrd = (object: Record<string, unknown>) => object['kind'] === 'CustomResourceDefinition';
