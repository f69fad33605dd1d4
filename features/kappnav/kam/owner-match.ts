/**
 * Owner matching of KindActionMapping rules (kappnav-prism.md §3.4 step 3, "owner match"): the first
 * ownerReference of the rule's owner kind decides, and becomes the owner that `${owner.*}` mapname
 * segments refer to.
 */
import { ruleText, type MappingRuleOwner } from './kind-action-mapping.ts';
import type { OwnerIdentity } from './mapping-subject.ts';

const WILDCARD = '*';

export type OwnerMatch = { matches: false } | { matches: true; owner: OwnerIdentity | undefined };

const NO_MATCH: OwnerMatch = { matches: false };

export function matchOwner(rule: MappingRuleOwner | undefined, owners: readonly OwnerIdentity[]): OwnerMatch {
  const kind = ruleText(rule?.kind);
  // A rule without an owner kind, or with `*`, does not constrain owners and captures none.
  if (!kind || kind === WILDCARD) return { matches: true, owner: undefined };
  const owner = owners.find((candidate) => candidate.kind === kind);
  if (!owner) return NO_MATCH;
  const uid = ruleText(rule?.uid);
  const apiVersion = ruleText(rule?.apiVersion);
  const uidOk = uid === undefined || uid === WILDCARD || uid === owner.uid;
  const apiVersionOk = apiVersion === undefined || apiVersion === WILDCARD || apiVersion === owner.apiVersion;
  return uidOk && apiVersionOk ? { matches: true, owner } : NO_MATCH;
}
