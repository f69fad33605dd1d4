/**
 * Regular expressions in policies, with RE2's syntax and guarantees: every pattern is compiled and run
 * by re2js (a pure-JavaScript port of Go's and Google's RE2), which decides what is accepted, explains
 * what is not, and matches in time linear in the text.
 *
 * Why a safe engine rather than a detector of unsafe patterns: policies are written by people who are
 * not the cluster's operators (an AdmissionPolicy by anyone who may write in a namespace), and the
 * admission path evaluates them synchronously, where no time budget can interrupt a regex that
 * backtracks. Detectors (safe-regex and its successors) are heuristics with known false negatives; RE2
 * matches in time linear in the input for every pattern it accepts, so no pattern can backtrack
 * catastrophically at all. What RE2 refuses (backreferences, lookaround, repeat counts above 1000) are
 * exactly the features that need a backtracking engine; such a pattern is rejected when the policy is
 * applied, with RE2's reason. RE2 syntax is also what Kyverno and Gatekeeper (Go) policies use.
 *
 * Linear is not free, so both costs are bounded by construction:
 * - compiling, when the policy is applied: at most MAX_PATTERN_CHARS per pattern, and per policy at most
 *   MAX_PATTERNS_PER_POLICY patterns of at most MAX_PROGRAM_PER_POLICY RE2 instructions in all (compile
 *   time grows with the program); a policy beyond them is refused, naming the pattern that went over;
 * - matching, on each admission: a match costs up to (program size × text length), e.g. 7 s for
 *   `^.*a[ab]{999}$` on a 1 MB value, and cannot be interrupted, so a match that could cost more than
 *   MAX_MATCH_WORK is not run (a PatternTooCostly, which fails the policy as its failurePolicy says), and
 *   the work of the others is counted on the policy's work meter, which checks its time budget.
 */
import { RE2JS } from 're2js';
import type { WorkMeter } from '../../../pkg/jsonpath/work-meter.ts';

export interface Pattern {
  readonly source: string;
  /** RE2 instructions: what compiling cost and what each character of a match may cost. */
  readonly programSize: number;
  /**
   * True when the pattern matches anywhere in `text` (anchor with ^ and $ for whole values); the work is
   * counted on `meter`. Throws a PatternTooCostly rather than start a match beyond MAX_MATCH_WORK.
   */
  test(text: string, meter?: WorkMeter): boolean;
}

/** A pattern longer than this is almost certainly generated or pasted by mistake; RE2 memory grows with it. */
const MAX_PATTERN_CHARS = 4096;
/** Per policy: well above what policies use (the shipped ones hold at most a handful). */
export const MAX_PATTERNS_PER_POLICY = 100;
/** RE2 instructions per policy: compiling them all takes a few tens of milliseconds at most. */
export const MAX_PROGRAM_PER_POLICY = 20_000;
/**
 * Program size × characters for one match: about 55 ms on the worst patterns measured (when re2js's DFA
 * gives up on a pattern like `^.*a[ab]{999}$` its NFA takes up to ~26 ns per instruction and character),
 * and far above what a label or annotation needs (a 64-instruction pattern on a 32 KiB value).
 */
export const MAX_MATCH_WORK = 2 ** 21;
/**
 * Match work per unit of the policy's work meter (a JSONPath step costs one): a label-sized match costs
 * about one unit, and the meter's limit allows a few hundred milliseconds of matching at the worst rate.
 */
const MATCH_WORK_PER_UNIT = 64;

/** A match that would cost more than MAX_MATCH_WORK. */
export class PatternTooCostly extends Error {
  override readonly name = 'PatternTooCostly';

  constructor(source: string, programSize: number, length: number) {
    super(
      `pattern ${JSON.stringify(source)} (${programSize} RE2 instructions) is not run on a value of ${length} characters: that may cost more than ${MAX_MATCH_WORK} instruction-characters`,
    );
  }
}

export type CompiledPattern = { ok: true; pattern: Pattern } | { ok: false; problem: string };

class Re2Pattern implements Pattern {
  readonly programSize: number;

  constructor(
    readonly source: string,
    private readonly re: RE2JS,
  ) {
    this.programSize = re.programSize();
  }

  test(text: string, meter?: WorkMeter): boolean {
    const work = this.programSize * text.length;
    if (work > MAX_MATCH_WORK) throw new PatternTooCostly(this.source, this.programSize, text.length);
    if (meter) meter.spend(Math.floor(work / MATCH_WORK_PER_UNIT));
    return this.re.test(text);
  }
}

/**
 * The patterns of one policy so far, against the per-policy limits. One is made per policy compiled;
 * without one (a pattern on its own, in a test), only the per-pattern limit applies.
 */
export class PatternAllowance {
  private patterns = 0;
  private instructions = 0;

  /** The problem with compiling one more pattern, found before compiling it: that is the cost bounded. */
  beforeCompiling(): string | undefined {
    if (this.patterns >= MAX_PATTERNS_PER_POLICY)
      return `is one pattern too many: a policy may hold at most ${MAX_PATTERNS_PER_POLICY} regular expressions`;
    if (this.instructions >= MAX_PROGRAM_PER_POLICY)
      return `is one pattern too many: this policy's regular expressions already hold ${this.instructions} RE2 instructions, and a policy may hold at most ${MAX_PROGRAM_PER_POLICY}`;
    return undefined;
  }

  /** Counts a compiled pattern; the problem when it takes the policy over the instruction limit. */
  add(pattern: Pattern): string | undefined {
    this.patterns += 1;
    this.instructions += pattern.programSize;
    if (this.instructions > MAX_PROGRAM_PER_POLICY)
      return `takes this policy's regular expressions to ${this.instructions} RE2 instructions; a policy may hold at most ${MAX_PROGRAM_PER_POLICY}`;
    return undefined;
  }
}

export function compilePattern(source: string, allowance?: PatternAllowance): CompiledPattern {
  if (source.length > MAX_PATTERN_CHARS)
    return { ok: false, problem: `is longer than ${MAX_PATTERN_CHARS} characters` };
  const refused = allowance?.beforeCompiling();
  if (refused) return { ok: false, problem: refused };
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (error) {
    return { ok: false, problem: `is not an RE2 regular expression: ${(error as Error).message}` };
  }
  const pattern = new Re2Pattern(source, re);
  const problem = allowance?.add(pattern);
  return problem ? { ok: false, problem } : { ok: true, pattern };
}
