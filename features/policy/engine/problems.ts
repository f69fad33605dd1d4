/**
 * What is wrong with a policy, found when it is applied (the policy-check webhook answers these, the
 * offline CLI prints them, the policy's status shows them): one line per problem,
 * `<path in the policy> <JSON value>: <problem>`, e.g.
 * `spec.validate[0].assert[1].operator "Matchez": is not an operator; use one of Exists, …`.
 */
import { isRecord } from '../../../pkg/json/json-value.ts';
import { clip, renderValue } from '../../../pkg/json/json-value.ts';
import { PatternAllowance } from './pattern.ts';

const MAX_VALUE_CHARS = 80;
/** Lines kept: enough to fix a policy by, few enough that a policy of a thousand mistakes answers briefly. */
const MAX_LINES = 20;

export class Problems {
  private readonly lines: string[] = [];
  private count = 0;
  /** The regular expressions the policy holds so far, against the per-policy limits (pattern.ts). */
  readonly patterns = new PatternAllowance();

  add(path: string, value: unknown, problem: string): void {
    this.count += 1;
    if (this.lines.length < MAX_LINES)
      this.lines.push(`${path} ${clip(renderValue(value), MAX_VALUE_CHARS)}: ${problem}`);
  }

  get list(): readonly string[] {
    const more = this.count - this.lines.length;
    return more > 0 ? [...this.lines, `(and ${more} more problem${more === 1 ? '' : 's'})`] : this.lines;
  }

  get empty(): boolean {
    return this.count === 0;
  }
}

/** Reads a field of a policy section defensively, reporting a value of the wrong type. */
export class Section {
  constructor(
    readonly value: Record<string, unknown>,
    readonly path: string,
    readonly problems: Problems,
  ) {}

  /** The section at `key` (absent → undefined; not an object → a problem). */
  static of(value: unknown, path: string, problems: Problems): Section | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      problems.add(path, value, 'must be an object');
      return undefined;
    }
    return new Section(value, path, problems);
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  section(key: string): Section | undefined {
    return Section.of(this.raw(key), this.at(key), this.problems);
  }

  string(key: string, required = false): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) {
      if (required) this.problems.add(this.at(key), undefined, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.add(this.at(key), value, 'must be a string');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(key);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.add(this.at(key), value, `must be one of ${allowed.join(', ')}`);
    return fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problems.add(this.at(key), value, 'must be true or false');
    return fallback;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.raw(key);
    if (value === undefined || value === null) return fallback;
    if (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
      return value as number;
    this.problems.add(this.at(key), value, `must be a whole number from ${min} to ${max}`);
    return fallback;
  }

  /** A list; each entry is given with its path. */
  list(key: string): { value: unknown; path: string }[] {
    const value = this.raw(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problems.add(this.at(key), value, 'must be a list');
      return [];
    }
    return value.map((entry: unknown, index) => ({ value: entry, path: `${this.at(key)}[${index}]` }));
  }

  strings(key: string): string[] {
    return this.list(key).flatMap(({ value, path }) => {
      if (typeof value === 'string') return [value];
      this.problems.add(path, value, 'must be a string');
      return [];
    });
  }
}
