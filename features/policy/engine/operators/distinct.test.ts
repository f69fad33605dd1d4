import { describe, expect, it } from 'vitest';
import { OPERATORS } from './catalogue.ts';
import { nodeOf, operatorScope } from '../../../../test/support/policy/operator-fixtures.ts';

describe('Distinct', () => {
  const list = ['a', 'b', 'a', { x: 1 }, { x: 1 }];
  const distinct = OPERATORS.get('Distinct')!;
  const at = (index: number, scope = operatorScope()) =>
    distinct.test(
      nodeOf(list[index], {
        container: list,
        steps: [
          { key: 'spec', named: true },
          { key: 'aliases', named: true },
          { key: index, named: false },
        ],
      }),
      undefined,
      scope,
    );

  it('reports a repeat with the path of the first copy', () => {
    expect(at(0)).toBeUndefined();
    expect(at(1)).toBeUndefined();
    expect(at(2)).toEqual({ facts: { first: 'spec.aliases[0]' } });
    expect(at(4)).toEqual({ facts: { first: 'spec.aliases[3]' } });
  });

  it('indexes each list once per evaluation', () => {
    const scope = operatorScope();
    at(2, scope);
    expect(scope.memo.has(list)).toBe(true);
  });

  it('ignores nodes that are no list entries', () => {
    expect(distinct.test(nodeOf('a'), undefined, operatorScope())).toBeUndefined();
  });
});
