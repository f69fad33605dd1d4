/**
 * Values derived from a single object's spec, shared by the rules and the computed status so that both
 * read a Domain's hostnames or a Server's weights the same way.
 */
import { readPath, readRecord, readString, readStrings } from './fields.ts';
import { canonicalHostname } from './names.ts';
import type { ReflectionMode } from './types.ts';

/** The GRPCRoute's hostnames: the canonical hostname first, then the aliases in order (§1.6). */
export function domainHostnames(domain: unknown): string[] {
  const id = readString(domain, 'spec.id');
  const aliases = readStrings(domain, 'spec.aliases');
  return id ? [canonicalHostname(id), ...aliases] : aliases;
}

/**
 * Which reflection list is in effect. A present list counts even when empty: `allBut: []` means "all but
 * nothing" (§5 A8). When both are present (an X2 violation) `noneBut` wins, as the narrower exposure.
 */
export function reflectionMode(domain: unknown): ReflectionMode {
  if (Array.isArray(readPath(domain, 'spec.grpc.reflection.noneBut'))) return 'noneBut';
  if (Array.isArray(readPath(domain, 'spec.grpc.reflection.allBut'))) return 'allBut';
  return 'off';
}

/** Whether the Domain serves the reflection service for at least one service. */
export function reflectionEnabled(domain: unknown): boolean {
  const mode = reflectionMode(domain);
  return (
    mode === 'allBut' ||
    (mode === 'noneBut' && readStrings(domain, 'spec.grpc.reflection.noneBut').length > 0)
  );
}

/** Gateway API BackendRef.weight bounds (F12). */
export const MAX_WEIGHT = 1_000_000;

export function isValidWeight(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_WEIGHT;
}

/** The usable `versionWeights` entries, sorted by version as the operator sorts its backendRefs. */
export function versionWeights(server: unknown): [version: string, weight: number][] {
  const map = readRecord(server, 'spec.versionWeights') ?? {};
  return Object.entries(map)
    .filter((entry): entry is [string, number] => isValidWeight(entry[1]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A version's weight in a Server; 0 when the Server does not weight it. */
export function weightOf(server: unknown, version: string): number {
  return versionWeights(server).find(([candidate]) => candidate === version)?.[1] ?? 0;
}

/** Versions the Server sends traffic to (weight > 0). */
export function weightedVersions(server: unknown): string[] {
  return versionWeights(server)
    .filter(([, weight]) => weight > 0)
    .map(([version]) => version);
}

/**
 * Share of traffic per version in percent, 100 × w / Σw, rounded to two decimals so that the status does
 * not churn on floating-point noise. Undefined when no weight is positive: the Server gets no traffic.
 */
export function trafficPercent(server: unknown): Map<string, number> | undefined {
  const weights = versionWeights(server);
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return undefined;
  return new Map(weights.map(([version, weight]) => [version, Math.round((10_000 * weight) / total) / 100]));
}
