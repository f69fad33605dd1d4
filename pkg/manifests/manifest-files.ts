/**
 * Reading manifests from files for the offline CLIs: YAML or JSON, several documents per file, `List`
 * objects expanded; a directory means the `.yaml`, `.yml` and `.json` files directly in it (not its
 * subdirectories, so tests kept next to policies are not read as policies), or, with `recursive` (as
 * `kubectl -R`), those of its subdirectories too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types.ts';
import { isRecord } from '../json/json-value.ts';

export interface ManifestObject {
  object: KubeObject;
  file: string;
}

export interface LoadedManifests {
  objects: ManifestObject[];
  /** One line per file or document that could not be read. */
  errors: string[];
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function filesOf(location: string, recursive: boolean): string[] {
  if (!statSync(location, { throwIfNoEntry: false }))
    throw new Error(`${location}: no such file or directory`);
  if (!statSync(location).isDirectory()) return [location];
  return readdirSync(location)
    .sort()
    .map((name) => path.join(location, name))
    .flatMap((entry) => {
      if (statSync(entry).isDirectory()) return recursive ? filesOf(entry, true) : [];
      return EXTENSIONS.has(path.extname(entry)) ? [entry] : [];
    });
}

function expand(value: unknown): KubeObject[] {
  if (!isRecord(value)) return [];
  if (typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items']))
    return value['items'].flatMap(expand);
  return [value as KubeObject];
}

export interface LoadOptions {
  /** Read the subdirectories of directories too. */
  recursive?: boolean;
}

export function loadManifests(locations: readonly string[], options: LoadOptions = {}): LoadedManifests {
  const loaded: LoadedManifests = { objects: [], errors: [] };
  for (const location of locations) {
    let files: string[];
    try {
      files = filesOf(location, options.recursive ?? false);
    } catch (error) {
      loaded.errors.push((error as Error).message);
      continue;
    }
    for (const file of files) {
      const documents = parseAllDocuments(readFileSync(file, 'utf8'));
      for (const [index, document] of (Array.isArray(documents) ? documents : [documents]).entries()) {
        if (document.errors.length > 0) {
          loaded.errors.push(`${file}: document ${index + 1}: ${document.errors[0]?.message ?? 'not YAML'}`);
          continue;
        }
        for (const object of expand(document.toJS({ maxAliasCount: 1000 })))
          loaded.objects.push({ object, file });
      }
    }
  }
  return loaded;
}
