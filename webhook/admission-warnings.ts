/**
 * Admission warnings bounded as kube-apiserver bounds the warnings it returns (k8s.io/apiserver
 * `endpoints/filters/warning.go`): duplicates dropped; while the texts total at most 4 Ki characters
 * (runes) they pass whole; past that every warning is cut to 256 characters and none is added once the
 * total is reached. kube-apiserver would cut them anyway, but only after reading and decoding the whole
 * AdmissionReview: one warning per repeated list entry made a 2 MiB Domain answer with 15 MiB of
 * warnings (issue 15, finding 10). Bounding them here bounds the response.
 */

/** Characters of warning text after which warnings are truncated (`truncateAtTotalRunes`). */
export const MAX_WARNING_TOTAL = 4 * 1024;
/** What each warning is cut to once the total is exceeded (`truncateItemRunes`). */
export const MAX_TRUNCATED_WARNING = 256;

function truncated(text: string): string {
  const runes = Array.from(text);
  return runes.length > MAX_TRUNCATED_WARNING ? runes.slice(0, MAX_TRUNCATED_WARNING).join('') : text;
}

function runeLength(text: string): number {
  return Array.from(text).length;
}

/** `warnings` as kube-apiserver's warning recorder would pass them on, in order. */
export function capWarnings(warnings: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  let written = 0;
  let truncating = false;
  for (const text of warnings) {
    if (truncating && written >= MAX_WARNING_TOTAL) break;
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    const length = runeLength(text);
    if (!truncating && written + length <= MAX_WARNING_TOTAL) {
      kept.push(text);
      written += length;
      continue;
    }
    if (!truncating) {
      // Over the total: from here on every warning is cut, those already kept included (the recorder
      // replays them truncated).
      truncating = true;
      kept.splice(0, kept.length, ...kept.map(truncated));
      written = kept.reduce((sum, warning) => sum + runeLength(warning), 0);
    }
    const cut = truncated(text);
    kept.push(cut);
    written += runeLength(cut);
  }
  return kept;
}
