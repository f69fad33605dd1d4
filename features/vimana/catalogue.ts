/**
 * Every Vimana admission rule, in the order messages are reported: single fields first, then the object
 * as a whole, then the cluster around it.
 */
import { consistencyRules } from './rules/consistency.ts';
import { deletionRules } from './rules/deletion.ts';
import { formatRules } from './rules/formats.ts';
import { immutabilityRules } from './rules/immutability.ts';
import { limitRules } from './rules/limits.ts';
import { referenceRules } from './rules/references.ts';
import { reflectionRules } from './rules/reflection.ts';
import type { VimanaRule } from './rules/rule.ts';
import { uniquenessRules } from './rules/uniqueness.ts';

export const VIMANA_RULES: readonly VimanaRule[] = [
  ...formatRules,
  ...consistencyRules,
  ...reflectionRules,
  ...immutabilityRules,
  ...referenceRules,
  ...uniquenessRules,
  ...limitRules,
  ...deletionRules,
];
