/** The YAML manifests shipped in `manifests/kappnav/`, read for tests that use the shipped defaults. */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../pkg/kube/types.ts';

const MANIFESTS = new URL('../../../manifests/kappnav/', import.meta.url);

export function loadManifests(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(new URL(file, MANIFESTS), 'utf8'))
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

/** The shipped default KindActionMapping and the default action maps of every kind, with the English NLS map. */
export function shippedDefaults(): { kams: KubeObject[]; configMaps: KubeObject[] } {
  const kinds = ['deployment', 'pod', 'service', 'job', 'application', 'nls-en'];
  return {
    kams: loadManifests('kam-default.yaml'),
    configMaps: kinds.flatMap((kind) => loadManifests(`actions-${kind}.yaml`)),
  };
}
