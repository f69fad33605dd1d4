import { describe, expect, it } from 'vitest';
import { age, humanDuration } from './human-duration.ts';
import { ageColumn, nameColumn, toTable } from './table.ts';

const S = 1000;
describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [192 * S, '3m12s'],
    [300 * S, '5m'],
    [45 * 60 * S, '45m'],
    [(5 * 60 + 20) * 60 * S, '5h20m'],
    [30 * 3600 * S, '30h'],
    [(3 * 24 + 4) * 3600 * S, '3d4h'],
    [40 * 24 * 3600 * S, '40d'],
    [(3 * 365 + 10) * 24 * 3600 * S, '3y10d'],
    [10 * 365 * 24 * 3600 * S, '10y'],
  ])('%i ms is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('reads creationTimestamp', () => {
    expect(age('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:01:00Z'))).toBe('60s');
    expect(age(undefined, 0)).toBe('<unknown>');
  });
});

describe('toTable', () => {
  const object = {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'a', namespace: 'n', creationTimestamp: '2024-01-01T00:00:00Z' },
  };
  const columns = [nameColumn(), ageColumn()];
  const now = Date.parse('2024-01-01T00:00:30Z');

  it('carries column definitions, cells and PartialObjectMetadata by default', () => {
    expect(
      toTable([object], columns, {
        version: 'v1',
        includeObject: 'Metadata',
        includeColumns: true,
        resourceVersion: '7',
        now,
      }),
    ).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '7' },
      columnDefinitions: [
        {
          name: 'Name',
          type: 'string',
          format: 'name',
          description: 'Name must be unique within a namespace.',
          priority: 0,
        },
        {
          name: 'Age',
          type: 'string',
          format: '',
          description: 'Time since the object was created (CreationTimestamp).',
          priority: 0,
        },
      ],
      rows: [
        {
          cells: ['a', '30s'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
        },
      ],
    });
  });

  it("includes the whole object, or none, and leaves column definitions out after a watch's first event", () => {
    const full = toTable([object], columns, {
      version: 'v1beta1',
      includeObject: 'Object',
      includeColumns: false,
      now,
    });
    expect(full.columnDefinitions).toBeNull();
    expect(full.rows[0]!.object).toBe(object);
    expect(
      toTable([object], columns, { version: 'v1', includeObject: 'None', includeColumns: true, now }).rows[0],
    ).toEqual({ cells: ['a', '30s'] });
  });
});
