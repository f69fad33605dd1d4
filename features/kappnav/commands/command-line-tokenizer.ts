/**
 * `CommandLineTokenizer` (kappnav-prism.md §5.1 step 6, truth table §7.4): splits a resolved cmd-pattern
 * into the container's command. Whitespace separates tokens; `"…"` groups text, and a quote also ends the
 * token before it (`a"b c"d` → `a`, `b c`, `d`). Empty tokens are dropped; an unterminated quote runs to
 * the end. There are no escapes, as in the reference.
 */
export function tokenizeCommandLine(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  const flush = () => {
    if (current) tokens.push(current);
    current = '';
  };
  for (const c of line) {
    if (c === '"') {
      flush();
      quoted = !quoted;
    } else if (!quoted && /\s/.test(c)) {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return tokens;
}
