/**
 * The name checks of Kubernetes (apimachinery's validate/content), with its words: each returns the
 * problems of a value, none when it is valid. Lengths are in bytes, as Go counts them.
 */

const LABEL_KEY_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY = new RegExp(`^${LABEL_KEY_FORMAT}$`);
const LABEL_KEY_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_MAX = 63;

const LABEL_VALUE_FORMAT = `(${LABEL_KEY_FORMAT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;

const DNS_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN_FORMAT = `${DNS_LABEL_FORMAT}(\\.${DNS_LABEL_FORMAT})*`;
const DNS_SUBDOMAIN = new RegExp(`^${DNS_SUBDOMAIN_FORMAT}$`);
const DNS_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS_SUBDOMAIN_MAX = 253;

const byteLength = (value: string) => Buffer.byteLength(value, 'utf8');

export const maxLengthError = (bytes: number) => `must be no more than ${bytes} bytes`;
const EMPTY_ERROR = 'must be non-empty';

/** A message naming the format, with examples, as Kubernetes' RegexError writes it. */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  return `${message} (e.g. ${examples.map((example) => `'${example}', `).join(' or ')}regex used for validation is '${format}')`;
}

export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > DNS_SUBDOMAIN_MAX) problems.push(maxLengthError(DNS_SUBDOMAIN_MAX));
  if (!DNS_SUBDOMAIN.test(value))
    problems.push(regexError(DNS_SUBDOMAIN_MESSAGE, DNS_SUBDOMAIN_FORMAT, 'example.com'));
  return problems;
}

/** A label key (also a qualified name): an optional DNS subdomain prefix and `/`, then a name. */
export function labelKeyProblems(value: string): string[] {
  const parts = value.split('/');
  const problems: string[] = [];
  if (parts.length > 2)
    return [
      `a valid label key ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FORMAT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') problems.push(`prefix part ${EMPTY_ERROR}`);
    else problems.push(...dns1123SubdomainProblems(prefix).map((problem) => `prefix part ${problem}`));
  }
  if (name === '') problems.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > LABEL_KEY_MAX) problems.push(`name part ${maxLengthError(LABEL_KEY_MAX)}`);
  if (!LABEL_KEY.test(name))
    problems.push(
      `name part ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FORMAT, 'MyName', 'my.name', '123-abc')}`,
    );
  return problems;
}

export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) problems.push(maxLengthError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE.test(value))
    problems.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  return problems;
}
