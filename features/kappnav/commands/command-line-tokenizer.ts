/**
 * `CommandLineTokenizer` (kappnav-prism.md §5.1 step 6, truth table §7.4): splits a cmd-pattern into the
 * container's command, one pattern per argument. Whitespace separates arguments; `"…"` groups text, and
 * a quote also ends the argument before it (`a"b c"d` → `a`, `b c`, `d`). Empty arguments are dropped; an
 * unterminated quote runs to the end. There are no escapes, as in the reference.
 *
 * Unlike the reference, which split the command after substitution, the pattern is split before it: a
 * `${…}` is one unit of the argument it stands in (nothing inside it separates or quotes), and each
 * argument is then resolved on its own. So a substituted value — user input, an annotation, a variable —
 * is always exactly one argument, whatever spaces or quotes it holds (issue 15, finding 2).
 */
import { scanNesting } from '../actions/pattern/language/nesting-scanner.ts';

export function tokenizeCommandLine(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  const flush = () => {
    if (current) tokens.push(current);
    current = '';
  };
  scanNesting(line, (index, event, depth) => {
    const c = line[index]!;
    // `${`, everything inside, and the closing `}` belong to the argument as they are.
    if (event !== 'char' || depth > 0) current += c;
    else if (c === '"') {
      flush();
      quoted = !quoted;
    } else if (!quoted && /\s/.test(c)) flush();
    else current += c;
  });
  flush();
  return tokens;
}
