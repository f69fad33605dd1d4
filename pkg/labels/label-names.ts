/**
 * Label keys and values checked for the policy engine, in its own words (one sentence each, naming the
 * rule). The label-selector parser checks them as Kubernetes does, in Kubernetes' words
 * (pkg/validation/names.ts).
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > MAX_PREFIX || !DNS_SUBDOMAIN.test(prefix)))
    return `the prefix ${JSON.stringify(prefix)} of label key ${JSON.stringify(key)} is not a DNS subdomain (lower-case alphanumerics, '-' and '.', at most ${MAX_PREFIX} characters)`;
  if (name.length > MAX_NAME || !NAME.test(name))
    return `label key ${JSON.stringify(key)} is invalid: a name has at most ${MAX_NAME} alphanumerics, '-', '_' or '.', and starts and ends with an alphanumeric`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= MAX_NAME && NAME.test(value))) return undefined;
  return `label value ${JSON.stringify(value)} is invalid: a value has at most ${MAX_NAME} alphanumerics, '-', '_' or '.', and starts and ends with an alphanumeric`;
}
