/**
 * Field selectors (`?fieldSelector=metadata.name=x,status.value!=Normal`) as kube-apiserver parses them:
 * comma-separated `field=value`, `field==value` or `field!=value` terms, ANDed, where `\` escapes a
 * comma, an equals sign, an exclamation mark or itself inside a value.
 */
import { badRequest } from '../../server/api-error.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on `separator` where it is not escaped by a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1]!;
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** The operator position in a term: the first unescaped `!=`, `==` or `=`. */
function findOperator(
  term: string,
): { at: number; operator: FieldRequirement['operator']; width: number } | undefined {
  for (let i = 0; i < term.length; i++) {
    const char = term[i]!;
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '!' && term[i + 1] === '=') return { at: i, operator: '!=', width: 2 };
    if (char === '=') return { at: i, operator: '=', width: term[i + 1] === '=' ? 2 : 1 };
  }
  return undefined;
}

/** Parses a field selector; a malformed one is a 400 in kube-apiserver's words. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  if (text.trim() === '') return [];
  return splitUnescaped(text, ',').map((term) => {
    const found = findOperator(term);
    const field = found ? term.slice(0, found.at).trim() : '';
    if (!found || field === '') throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    return { field, operator: found.operator, value: unescape(term.slice(found.at + found.width)) };
  });
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
