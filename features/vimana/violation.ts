/** What a rule reports, and the one-line message a person reads at `kubectl apply`. */
import { clip, renderValue } from '../../pkg/json/json-value.ts';

/**
 * Rule ids of vimana-invariants.md §2, plus A1 (§5) and L1-L6 for the §2.6 Gateway API capacity limits,
 * which the spec lists without ids.
 */
export type RuleId =
  | `F${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13}`
  | `X${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`
  | `R${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}`
  | `I${1 | 2 | 3 | 4 | 5}`
  | `D${1 | 2 | 3 | 4}`
  | `L${1 | 2 | 3 | 4 | 5 | 6}`
  | 'A1';

export type Severity = 'deny' | 'warn';

/** One thing wrong with one field: its path, the value found there and what is expected instead. */
export interface Finding {
  path: string;
  value: unknown;
  expected: string;
}

export interface Violation extends Finding {
  rule: RuleId;
  /** The catalogue entry that found it; several entries may share a rule id with different severities. */
  name: string;
  severity: Severity;
}

/** Kubernetes truncates long warnings (the AdmissionResponse doc advises 120 characters, cuts at 256). */
const MAX_MESSAGE_CHARS = 200;
const MIN_PART_CHARS = 24;

/**
 * `<path> <JSON value>: <text><suffix>` within 200 characters: when the parts do not fit, the value is
 * shortened before the text, which says what to do.
 */
export function formatMessage(path: string, value: unknown, text: string, suffix = ''): string {
  const budget = MAX_MESSAGE_CHARS - path.length - ': '.length - ' '.length - suffix.length;
  const valueChars = Math.min(renderValue(value).length, 2 * MIN_PART_CHARS);
  const shownText = clip(text, Math.max(budget - valueChars, MIN_PART_CHARS));
  const shownValue = renderValue(value, Math.max(budget - shownText.length, MIN_PART_CHARS));
  return `${path} ${shownValue}: ${shownText}${suffix}`;
}

/** `spec.version "1.2.3-alpha.1": must be MAJOR.MINOR.PATCH … (rule F3)`. */
export function formatViolation(violation: Violation): string {
  return formatMessage(violation.path, violation.value, violation.expected, ` (rule ${violation.rule})`);
}
