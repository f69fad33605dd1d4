/**
 * `FunctionOrSnippetTokenizer` (kappnav-prism.md §3.6(e), truth table §7.4): `name(p1,p2,…)`. The name is
 * the non-empty text before the first `(`, the text must end with `)`, and parameters are split on commas
 * outside `${…}` and trimmed.
 */
import { scanNesting } from './nesting-scanner.ts';

export interface CallExpression {
  name: string;
  parameters: string[];
}

/** The call, or undefined when the text is not `name(…)` (the reference's "name is null"). */
export function tokenizeCall(text: string): CallExpression | undefined {
  const open = text.indexOf('(');
  if (open <= 0 || !text.endsWith(')')) return undefined;
  const inner = text.slice(open + 1, -1).trim();
  const parameters: string[] = [];
  const last = inner.length - 1;
  let mark = 0;
  scanNesting(inner, (i, event, depth) => {
    if (event === 'char' && inner[i] === ',' && depth === 0) {
      parameters.push(inner.slice(mark, i).trim());
      mark = i + 1;
      // A trailing comma leaves one more, empty parameter: `f(a,)` is ["a", ""].
      if (i === last) parameters.push('');
    } else if (i === last) {
      parameters.push(inner.slice(mark).trim());
    }
  });
  return { name: text.slice(0, open), parameters };
}
