/**
 * The shape of a catalogue entry, in the style of Kyverno and Gatekeeper: a named unit with its rule id,
 * the kinds and operations it applies to, its severity, a one-line description and a check.
 *
 * Also the builders for the shapes rules share (a format check on fields, list entries or map keys; a
 * lookup of identifiers in the cluster), so that each such rule is a declaration, not a loop.
 */
import type { VimanaClusterView } from '../cluster-view.ts';
import { indexPath, keyPath, listEntries, readPath, readRecord, readString } from '../fields.ts';
import type { FormatCheck } from '../patterns.ts';
import type { VimanaKind } from '../types.ts';
import type { Operation } from '../../../webhook/admission-review.ts';
import type { Finding, RuleId, Severity } from '../violation.ts';

/** What a check sees of one admission request. */
export interface RuleContext {
  kind: VimanaKind;
  operation: Operation;
  namespace: string;
  /** The reviewed object's name; empty on a CREATE with `generateName` before the name is chosen. */
  name: string;
  /** The object under review: the new object on CREATE and UPDATE, the deleted one on DELETE. */
  object: unknown;
  /** The stored object before an UPDATE; undefined otherwise. */
  oldObject: unknown;
  view: VimanaClusterView;
}

export interface VimanaRule {
  /** Unique, kebab-case: what the entry checks. */
  readonly name: string;
  readonly rule: RuleId;
  readonly kinds: readonly VimanaKind[];
  readonly operations: readonly Operation[];
  readonly severity: Severity;
  readonly description: string;
  check(context: RuleContext): Finding[];
}

/** Format and consistency rules judge what is written; they have nothing to say about a deletion. */
export const WRITES: readonly Operation[] = ['CREATE', 'UPDATE'];

/** What a family builder leaves to each of its rules. */
type RuleHeader = Pick<VimanaRule, 'name' | 'rule' | 'severity' | 'description'>;

/**
 * Field paths per kind. A path ending in `[]` names a list whose every entry must pass; other paths name
 * a single string. Values that are absent or of another type than a string are left to F13 (required
 * fields) or reported here as the wrong shape (lists).
 */
type FieldsByKind = Partial<Record<VimanaKind, readonly string[]>>;

/** A rule that checks the same way at each of the fields listed for the reviewed kind. */
function fieldRule(
  header: RuleHeader,
  fields: FieldsByKind,
  checkField: (object: unknown, path: string) => Finding[],
): VimanaRule {
  return {
    ...header,
    kinds: Object.keys(fields) as VimanaKind[],
    operations: WRITES,
    check: ({ kind, object }) => (fields[kind] ?? []).flatMap((path) => checkField(object, path)),
  };
}

/** A format check on string fields and on the entries of list fields. */
export function formatRule(header: RuleHeader, fields: FieldsByKind, check: FormatCheck): VimanaRule {
  return fieldRule(header, fields, (object, field) =>
    field.endsWith('[]') ? checkList(object, field.slice(0, -2), check) : checkString(object, field, check),
  );
}

function checkString(object: unknown, path: string, check: FormatCheck): Finding[] {
  const value = readPath(object, path);
  const expected = typeof value === 'string' ? check(value) : undefined;
  return expected === undefined ? [] : [{ path, value, expected }];
}

function checkList(object: unknown, path: string, check: FormatCheck): Finding[] {
  const value = readPath(object, path);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ path, value, expected: 'must be a list of strings' }];
  return value.flatMap((entry: unknown, index) => {
    const expected = typeof entry === 'string' ? check(entry) : 'must be a string';
    return expected === undefined ? [] : [{ path: indexPath(path, index), value: entry, expected }];
  });
}

/** A format check on the keys of map fields; the values and the map's own shape are other rules' business. */
export function mapKeyRule(header: RuleHeader, fields: FieldsByKind, check: FormatCheck): VimanaRule {
  return fieldRule(header, fields, (object, path) =>
    Object.keys(readRecord(object, path) ?? {}).flatMap((key) => {
      const expected = check(key);
      return expected === undefined
        ? []
        : [{ path: keyPath(path, key), value: key, expected: `key ${expected}` }];
    }),
  );
}

/** No entry of a list may repeat an earlier one; each repeat is reported at its own index. */
export function uniqueEntriesRule(header: RuleHeader, fields: FieldsByKind): VimanaRule {
  return fieldRule(header, fields, (object, path) => {
    const first = new Map<string, string>();
    return listEntries(object, path).flatMap((entry) => {
      const earlier = first.get(entry.value);
      if (earlier === undefined) first.set(entry.value, entry.path);
      return earlier === undefined ? [] : [{ ...entry, expected: `must not repeat ${earlier}` }];
    });
  });
}

/** Reads identifiers if all are well-formed, or nothing: malformed ones are their format rule's to report. */
export function wellFormed(object: unknown, fields: Record<string, FormatCheck>): string[] | undefined {
  const values: string[] = [];
  for (const [path, problem] of Object.entries(fields)) {
    const value = readString(object, path);
    if (value === undefined || problem(value) !== undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * A rule that looks well-formed identifiers up in the cluster and may report one field: references that
 * must resolve (R2-R4) and identities that must be unique (R5, R6, R8). Malformed identifiers are not looked
 * up, since their format rule already reports them.
 */
export function lookupRule(
  header: Pick<VimanaRule, 'name' | 'rule' | 'description' | 'kinds'>,
  lookup: {
    /** The identifying fields with their formats, read in this order. */
    fields: Record<string, FormatCheck>;
    /** The field a finding is reported at. */
    path: string;
    /** What is expected of the field, or undefined when the lookup is satisfied. */
    problem: (values: string[], context: RuleContext) => string | undefined;
  },
): VimanaRule {
  return {
    ...header,
    operations: WRITES,
    severity: 'deny',
    check: (context) => {
      const values = wellFormed(context.object, lookup.fields);
      const expected = values && lookup.problem(values, context);
      return expected ? [{ path: lookup.path, value: readPath(context.object, lookup.path), expected }] : [];
    },
  };
}
