/** Markdown pieces of the report. */

/** A table; cells are written as given (escape `|` in them). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export const bullets = (lines: readonly string[]) => lines.map((line) => `- ${line}`).join('\n');

export const yesNo = (met: boolean) => (met ? '✅ met' : '❌ missed');

/** Cores to two decimals, MiB to one: the units the process columns use. */
export const cores = (n: number) => n.toFixed(2);
export const mib = (n: number) => `${n.toFixed(1)} MiB`;
