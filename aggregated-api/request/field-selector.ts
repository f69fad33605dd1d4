/**
 * Field selectors (`?fieldSelector=metadata.name=x,status.value!=Normal`) read as apimachinery's
 * fields.ParseSelector reads them: comma-separated terms (a `\` escapes the next character), read in
 * sorted order, empty terms skipped; each term split at its first `!=`, `==` or `=`, the field taken as
 * written (no trimming; it may be empty) and the value unescaped, where `\` may only escape `\`, `,` or
 * `=` and an unescaped `,` or `=` is an error. Errors are 400s in kube-apiserver's words.
 */
import { badRequest } from '../../server/api-error.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on commas that are not escaped by a backslash (the backslashes stay). */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (escaped) escaped = false;
    else if (char === '\\') escaped = true;
    else if (char === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { field: string; operator: string; value: string } | undefined {
  for (let i = 0; i < term.length; i++)
    for (const operator of TERM_OPERATORS)
      if (term.startsWith(operator, i))
        return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
  return undefined;
}

function unescapeValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let result = '';
  let escaped = false;
  for (const char of value) {
    if (escaped) {
      if (char !== '\\' && char !== ',' && char !== '=')
        throw badRequest(`invalid field selector: invalid escape sequence: \\${char}`);
      result += char;
      escaped = false;
    } else if (char === '\\') escaped = true;
    else if (char === ',' || char === '=')
      // Go prints the character as its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${char.codePointAt(0)}`);
    else result += char;
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return result;
}

/** Parses a field selector, its terms in sorted order; a malformed one is a 400 in kube-apiserver's words. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const value = unescapeValue(split.value);
    // A term without field and value (`=`) selects everything.
    if (split.field === '' && value === '') continue;
    requirements.push({ field: split.field, operator: split.operator === '!=' ? '!=' : '=', value });
  }
  return requirements;
}

/** The value `field` must equal for the selector to match anything, if the selector pins it. */
export function requiredValue(requirements: readonly FieldRequirement[], field: string): string | undefined {
  return requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/** Whether `fields` (the field values of one object) satisfy every requirement. */
export function matchesFields(
  requirements: readonly FieldRequirement[],
  fields: Readonly<Record<string, string | undefined>>,
): boolean {
  return requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '='));
}
