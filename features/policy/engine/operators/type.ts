/** Type: the JSON type of a value (string, number, integer, boolean, object, array), one or a list. */
import { hasJsonType, type JsonType } from '../../../../pkg/json/json-value.ts';
import { FAILS, ok, operator, presentValue, problem } from './operator.ts';

const TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'object', 'array'];

export const type = operator<readonly JsonType[]>({
  name: 'Type',
  dynamicOperand: false,
  compile: (raw) => {
    const list = Array.isArray(raw) ? raw : [raw];
    const unknown = list.find((t) => !TYPES.includes(t as JsonType));
    if (list.length === 0 || unknown !== undefined)
      return problem(`must be one of ${TYPES.join(', ')}, or a list of them`);
    return ok(list as JsonType[]);
  },
  describe: (types) => `must be ${types.length === 1 ? `a ${types[0]}` : `one of ${types.join(', ')}`}`,
  test: (node, types) => {
    const value = presentValue(node);
    return value === undefined || types.some((t) => hasJsonType(value, t)) ? undefined : FAILS;
  },
});
