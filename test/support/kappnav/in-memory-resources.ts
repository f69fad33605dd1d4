/**
 * A ResourceReader over a fixed set of objects, for tests: types resolve by kind, plural, singular or
 * `<plural>.<group>`, and label selectors support equality, `!=`, `in`, `notin`, existence and `!key`.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { ListOptions, ResourceReader } from '../../../features/kappnav/actions/resource-reader.ts';

function groupOf(object: KubeObject): string {
  const apiVersion = object.apiVersion ?? '';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** Splits a selector on the commas between requirements (not those inside `in (…)`). */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function matchesRequirement(labels: Record<string, string>, requirement: string): boolean {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(requirement);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    const value = labels[set[1]!];
    return set[2] === 'in'
      ? value !== undefined && values.includes(value)
      : value === undefined || !values.includes(value);
  }
  const inequality = /^([^!=]+)!=(.*)$/.exec(requirement);
  if (inequality) return labels[inequality[1]!.trim()] !== inequality[2]!.trim();
  const equality = /^([^!=]+)==?(.*)$/.exec(requirement);
  if (equality) return labels[equality[1]!.trim()] === equality[2]!.trim();
  if (requirement.startsWith('!')) return !(requirement.slice(1) in labels);
  return requirement in labels;
}

export function matchesSelector(object: KubeObject, selector: string | undefined): boolean {
  const labels = object.metadata?.labels ?? {};
  return requirements(selector ?? '').every((requirement) => matchesRequirement(labels, requirement));
}

export class InMemoryResources implements ResourceReader {
  /** Every call, for tests that check how the cluster was asked. */
  readonly calls: string[] = [];

  constructor(
    private readonly types: readonly ResourceType[],
    private readonly objects: KubeObject[],
  ) {}

  async resolveType(name: string): Promise<ResourceType | undefined> {
    return this.types.find(
      (type) =>
        type.kind === name ||
        type.resource === name ||
        type.kind.toLowerCase() === name ||
        (type.group !== '' && `${type.resource}.${type.group}` === name),
    );
  }

  private ofType(type: ResourceType): KubeObject[] {
    return this.objects.filter((object) => object.kind === type.kind && groupOf(object) === type.group);
  }

  async get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    this.calls.push(`get ${type.resource} ${namespace ?? '*'}/${name}`);
    return this.ofType(type).find(
      (object) =>
        object.metadata?.name === name && (!type.namespaced || object.metadata?.namespace === namespace),
    );
  }

  async list(type: ResourceType, options: ListOptions): Promise<KubeObject[]> {
    this.calls.push(
      `list ${type.resource} ${options.namespace ?? '*'} ${options.labelSelector ?? ''}`.trim(),
    );
    return this.ofType(type).filter(
      (object) =>
        (options.namespace === undefined || object.metadata?.namespace === options.namespace) &&
        matchesSelector(object, options.labelSelector),
    );
  }
}
