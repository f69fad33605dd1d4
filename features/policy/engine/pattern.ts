/**
 * Regular expressions in policies, with RE2's syntax and guarantees: every pattern is compiled by re2js
 * (a pure-JavaScript port of Go's and Google's RE2), which decides what is accepted and explains what
 * is not. Matching then runs on a deterministic automaton (regex/dfa.ts) when the pattern uses the
 * common part of the syntax and its automaton is small, and on re2js otherwise. Both take time linear in
 * the text; the automaton is about twenty times faster on label-sized values.
 *
 * Why a safe engine rather than a detector of unsafe patterns: policies are written by people who are
 * not the cluster's operators (an AdmissionPolicy by anyone who may write in a namespace), and the
 * admission path evaluates them synchronously, where no time budget can interrupt a regex that
 * backtracks. Detectors (safe-regex and its successors) are heuristics with known false negatives; RE2
 * matches in time linear in the input for every pattern it accepts, so no pattern can backtrack
 * catastrophically at all. What RE2 refuses (backreferences, lookaround, repeat counts above 1000) are
 * exactly the features that need a backtracking engine; such a pattern is rejected when the policy is
 * applied, with RE2's reason. RE2 syntax is also what Kyverno and Gatekeeper (Go) policies use.
 */
import { RE2JS } from 're2js';
import { buildDfa } from './regex/dfa.ts';
import { parseRegex } from './regex/syntax.ts';

export interface Pattern {
  readonly source: string;
  /** Which matcher runs it: the automaton, or re2js for syntax or sizes the automaton leaves to it. */
  readonly engine: 'dfa' | 're2';
  /** True when the pattern matches anywhere in `text` (anchor with ^ and $ for whole values). */
  test(text: string): boolean;
}

/** A pattern longer than this is almost certainly generated or pasted by mistake; RE2 memory grows with it. */
const MAX_PATTERN_CHARS = 4096;

export type CompiledPattern = { ok: true; pattern: Pattern } | { ok: false; problem: string };

export function compilePattern(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_CHARS)
    return { ok: false, problem: `is longer than ${MAX_PATTERN_CHARS} characters` };
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (error) {
    return { ok: false, problem: `is not an RE2 regular expression: ${(error as Error).message}` };
  }
  const parsed = parseRegex(source);
  const dfa = parsed && buildDfa(parsed);
  const pattern: Pattern = dfa
    ? { source, engine: 'dfa', test: (text) => dfa.test(text) }
    : { source, engine: 're2', test: (text) => re.test(text) };
  return { ok: true, pattern };
}
