import { describe, expect, it } from 'vitest';
import { operatorShapedCrd, prismgateCrd } from '../../test/support/vimana/crds.ts';
import {
  conditionSchema,
  declaresStatusField,
  installedStatusSchema,
  keptStatusField,
  pruneToSchema,
} from './installed-schema.ts';

describe('installedStatusSchema', () => {
  it("reads the operator's CRDs: conditions only, an atomic list prismgate cannot own an entry of", () => {
    const schema = installedStatusSchema(operatorShapedCrd('Server'))!;
    expect(schema).toMatchObject({ subresource: true, conditionsByType: false, generation: 1 });
    expect(declaresStatusField(schema, 'conditions')).toBe(true);
    expect(declaresStatusField(schema, 'traffic')).toBe(false);
    expect(keptStatusField(schema, 'traffic', '1.0.0=100%')).toBeUndefined();
    expect(conditionSchema(schema)).toBeUndefined();
  });

  it("reads prismgate's CRDs: every derived field, and conditions as a map keyed by type", () => {
    const schema = installedStatusSchema(prismgateCrd('Server'))!;
    expect(schema.conditionsByType).toBe(true);
    expect(keptStatusField(schema, 'trafficPercent', { '1.0.0': 100 })).toEqual({ '1.0.0': 100 });
    expect(conditionSchema(schema)).toMatchObject({ type: 'object' });
  });

  it('tells a version without status schema or subresource, and one that is not served', () => {
    const bare = installedStatusSchema(operatorShapedCrd('Vimana', { status: null }))!;
    expect(bare.status).toBeUndefined();
    expect(declaresStatusField(bare, 'conditions')).toBe(false);
    const noSubresource = installedStatusSchema(operatorShapedCrd('Vimana', { subresource: false }))!;
    expect(keptStatusField(noSubresource, 'conditions', [])).toBeUndefined();
    const crd = operatorShapedCrd('Vimana');
    (crd['spec'] as { versions: { served: boolean }[] }).versions[0]!.served = false;
    expect(installedStatusSchema(crd)).toBeUndefined();
    expect(installedStatusSchema({})).toBeUndefined();
  });

  it('keeps every field under a status that preserves unknown fields', () => {
    const open = installedStatusSchema(
      operatorShapedCrd('Domain', {
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      }),
    )!;
    expect(keptStatusField(open, 'hostnames', ['a.example.com'])).toEqual(['a.example.com']);
  });
});

describe('pruneToSchema, as the API server prunes', () => {
  const listeners = {
    type: 'array',
    items: { type: 'object', properties: { hostname: { type: 'string' }, name: { type: 'string' } } },
  };

  it('drops undeclared fields at every level, through lists and maps', () => {
    expect(pruneToSchema([{ hostname: 'a', name: 'l-1', secretName: 'c-1' }], listeners)).toEqual([
      { hostname: 'a', name: 'l-1' },
    ]);
    const map = {
      type: 'object',
      additionalProperties: { type: 'object', properties: { w: { type: 'integer' } } },
    };
    expect(pruneToSchema({ '1.0.0': { w: 1, x: 2 } }, map)).toEqual({ '1.0.0': { w: 1 } });
    const open = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { a: { type: 'string' } },
    };
    expect(pruneToSchema({ a: 'x', b: { c: 1 } }, open)).toEqual({ a: 'x', b: { c: 1 } });
  });

  it('refuses a value of another type than declared (the API server would reject, not prune, it)', () => {
    expect(pruneToSchema('3', { type: 'integer' })).toBeUndefined();
    expect(pruneToSchema(1.5, { type: 'integer' })).toBeUndefined();
    expect(pruneToSchema([{ hostname: 7 }], listeners)).toBeUndefined();
    expect(pruneToSchema('80%', { 'x-kubernetes-int-or-string': true })).toBe('80%');
    expect(pruneToSchema(true, {})).toBe(true);
  });
});
