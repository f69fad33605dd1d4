/** Every assertion operator, by the name a policy uses. */
import { distinct } from './distinct.ts';
import { equals, isIn, notEquals, notIn } from './equality.ts';
import type { Operator } from './operator.ts';
import { greaterThan, greaterThanOrEquals, lessThan, lessThanOrEquals } from './ordering.ts';
import { exists, notExists } from './presence.ts';
import { maxLength, minLength, notEmpty } from './size.ts';
import { endsWith, matches, notEndsWith, notMatches, notStartsWith, startsWith } from './strings.ts';
import { type } from './type.ts';

export const OPERATORS: ReadonlyMap<string, Operator> = new Map(
  [
    exists,
    notExists,
    type,
    equals,
    notEquals,
    isIn,
    notIn,
    greaterThan,
    greaterThanOrEquals,
    lessThan,
    lessThanOrEquals,
    matches,
    notMatches,
    startsWith,
    notStartsWith,
    endsWith,
    notEndsWith,
    minLength,
    maxLength,
    notEmpty,
    distinct,
  ].map((op) => [op.name, op]),
);
