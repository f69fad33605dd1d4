/**
 * What a mutation may not break: an object whose identity changed, or whose labels and annotations the
 * API server would reject, is an invalid result. Policies are checked against this when applied (on a
 * sample of each kind they name) and every mutation result is checked again at admission.
 */
import { labelKeyProblem, labelValueProblem } from '../../../pkg/labels/label-names.ts';
import { isRecord } from '../../../pkg/json/json-value.ts';

/** Fields a mutation must not touch: the API server owns them, or they identify the object. */
export const PROTECTED_PATHS: readonly (readonly string[])[] = [
  ['apiVersion'],
  ['kind'],
  ['status'],
  ...[
    'name',
    'generateName',
    'namespace',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'managedFields',
    'selfLink',
  ].map((f) => ['metadata', f]),
];

/** The protected field a path (as keys from the root) writes into, if any. */
export function protectedField(keys: readonly (string | number)[]): string | undefined {
  const hit = PROTECTED_PATHS.find((p) => p.every((key, i) => keys[i] === key));
  return hit?.join('.');
}

function stringMapProblems(map: unknown, path: string, value: (v: string) => string | undefined): string[] {
  if (map === undefined) return [];
  if (!isRecord(map)) return [`${path} must be a map of strings`];
  return Object.entries(map).flatMap(([key, v]) => {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) return [`${path}: ${keyProblem}`];
    if (typeof v !== 'string')
      return [`${path}[${JSON.stringify(key)}] must be a string, not ${JSON.stringify(v)}`];
    const valueProblem = value(v);
    return valueProblem ? [`${path}: ${valueProblem}`] : [];
  });
}

/** Why `after` is no valid result of mutating `before`; empty when it is one. */
export function mutationResultProblems(before: unknown, after: unknown): string[] {
  if (!isRecord(after)) return ['the result is not an object'];
  const problems: string[] = [];
  for (const path of PROTECTED_PATHS.filter((p) => p[0] !== 'status')) {
    const read = (o: unknown) =>
      path.reduce<unknown>((v, k) => (isRecord(v) ? v[k as string] : undefined), o);
    if (JSON.stringify(read(before)) !== JSON.stringify(read(after)))
      problems.push(`${path.join('.')} changed`);
  }
  const metadata = after['metadata'];
  if (metadata !== undefined && !isRecord(metadata)) return [...problems, 'metadata is not an object'];
  problems.push(...stringMapProblems(metadata?.['labels'], 'metadata.labels', labelValueProblem));
  problems.push(...stringMapProblems(metadata?.['annotations'], 'metadata.annotations', () => undefined));
  return problems;
}
