/**
 * Logs each kAppNav configuration problem once: a broken status map or a misspelled componentKind is met
 * on every event that touches it, and a line per event would bury everything else in the log.
 */
import type { Logger } from 'pino';

/** Sentences remembered; beyond this the memory starts over, so a long-lived process stays bounded. */
const REMEMBERED = 10_000;

export class ProblemLog {
  private readonly seen = new Set<string>();

  constructor(private readonly log: Logger) {}

  report(problems: Iterable<string>): void {
    for (const problem of problems) {
      if (this.seen.has(problem)) continue;
      if (this.seen.size >= REMEMBERED) this.seen.clear();
      this.seen.add(problem);
      this.log.warn({ problem }, `kAppNav status: ${problem}`);
    }
  }
}
