/**
 * How the four kinds refer to each other (by value, never by owner reference: §1.0), in one place for the
 * rules and the computed status.
 */
import type { ObjectRef } from './types.ts';
import { readLabel, readString } from './fields.ts';
import { weightedVersions } from './derived.ts';
import { LABEL_DOMAIN } from './names.ts';

/**
 * The objects other than the one under review. On UPDATE the view still holds the stored version of the
 * object, which must not count as a conflict with itself.
 */
export function exceptSelf<T>(objects: readonly T[], self: ObjectRef): T[] {
  return objects.filter(
    (object) =>
      readString(object, 'metadata.name') !== self.name ||
      (readString(object, 'metadata.namespace') ?? self.namespace) !== self.namespace,
  );
}

/**
 * Whether a Server is part of a Domain's route. The Domain controller selects Servers by the
 * `vimana.host/domain` label, not by `spec.domain` (§5 A2), so a Server whose label was never aligned
 * with its spec still belongs to the route of the label's Domain; counting both keeps every conflict
 * visible.
 */
export function belongsToDomain(server: unknown, domainId: string): boolean {
  return readString(server, 'spec.domain') === domainId || readLabel(server, LABEL_DOMAIN) === domainId;
}

export function serversOfDomain<T>(servers: readonly T[], domainId: string): T[] {
  return servers.filter((server) => belongsToDomain(server, domainId));
}

export function componentsOfServer<T>(components: readonly T[], domainId: string, serverId: string): T[] {
  return components.filter(
    (component) =>
      readString(component, 'spec.domain') === domainId && readString(component, 'spec.server') === serverId,
  );
}

/** The Servers a Component belongs to: normally one; more only when R5 was violated before this gate. */
export function serversOfComponent<T>(servers: readonly T[], domainId: string, serverId: string): T[] {
  return servers.filter(
    (server) => readString(server, 'spec.domain') === domainId && readString(server, 'spec.id') === serverId,
  );
}

/** R11: versions a Server sends traffic to that no Component of it provides. */
export function missingComponentVersions(server: unknown, components: readonly unknown[]): string[] {
  const domainId = readString(server, 'spec.domain');
  const serverId = readString(server, 'spec.id');
  if (domainId === undefined || serverId === undefined) return [];
  const provided = new Set(
    componentsOfServer(components, domainId, serverId).map((component) =>
      readString(component, 'spec.version'),
    ),
  );
  return weightedVersions(server).filter((version) => !provided.has(version));
}
