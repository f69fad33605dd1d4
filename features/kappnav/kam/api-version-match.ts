/**
 * apiVersion matching of KindActionMapping rules (kappnav-prism.md §3.4 step 3, `isApiVersionMatch`):
 * `group/version` rules match only `group/version` resources and version-only rules only core resources,
 * each part equal or `*`.
 */
import { normalizeApiVersion } from './mapping-subject.ts';

const WILDCARD = '*';

function partMatches(rulePart: string, resourcePart: string): boolean {
  return rulePart === WILDCARD || rulePart === resourcePart;
}

/** A missing or empty rule apiVersion never matches; neither does an empty resource apiVersion. */
export function apiVersionMatches(ruleApiVersion: string | undefined, resourceApiVersion: string): boolean {
  if (!ruleApiVersion || !resourceApiVersion) return false;
  const rule = normalizeApiVersion(ruleApiVersion);
  if (rule === resourceApiVersion) return true;
  const ruleParts = rule.split('/');
  const resourceParts = resourceApiVersion.split('/');
  if (ruleParts.length !== resourceParts.length || ruleParts.length > 2) return false;
  return ruleParts.every((part, i) => partMatches(part, resourceParts[i]!));
}
