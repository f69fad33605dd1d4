/**
 * A `spec.selector` ({matchLabels, matchExpressions}) in the label-selector wire syntax, as kAppNav's
 * `Selector.toString` renders it for list calls. Expressions with an unknown operator, and In/NotIn without
 * values, are dropped as the reference drops them. '' means the selector selects nothing usable.
 */
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import { isJsonObject } from '../../../../../pkg/json/json-value.ts';

const RENDER: Record<string, (key: string, values: string[]) => string | undefined> = {
  In: (key, values) => (values.length ? `${key} in (${values.join(', ')})` : undefined),
  NotIn: (key, values) => (values.length ? `${key} notin (${values.join(', ')})` : undefined),
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

export function labelSelectorString(selector: unknown): string {
  const { matchLabels, matchExpressions } = record(selector);
  const terms = Object.entries(record(matchLabels))
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key}=${String(value)}`);
  for (const expression of Array.isArray(matchExpressions) ? matchExpressions : []) {
    const { key, operator, values } = record(expression);
    const render =
      typeof operator === 'string' && Object.hasOwn(RENDER, operator) ? RENDER[operator] : undefined;
    if (typeof key !== 'string' || !render) continue;
    const texts = Array.isArray(values) ? values.filter((v) => typeof v === 'string') : [];
    const term = render(key, texts);
    if (term) terms.push(term);
  }
  return terms.join(',');
}

/** The selector of a Deployment's or an Application's `spec.selector`, rendered. */
export function specSelectorString(object: KubeObject): string {
  return labelSelectorString(record(object['spec'])['selector']);
}
