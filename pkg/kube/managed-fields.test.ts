import { describe, expect, it } from 'vitest';
import { fieldStep, keyStep, managedFieldsOf, ownedChildren, ownersOf, writersOf } from './managed-fields.ts';

/** managedFields as kube-apiserver records them after an operator's status update and an apply. */
const object = {
  metadata: {
    name: 'x',
    managedFields: [
      {
        manager: 'manager',
        operation: 'Update',
        subresource: 'status',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:status': { '.': {}, 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {} } } },
        },
      },
      {
        manager: 'prismgate-vimana-status',
        operation: 'Apply',
        subresource: 'status',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:traffic': {}, 'f:conditions': { 'k:{"type":"p/A"}': {} } } },
      },
      'not an entry',
    ],
  },
};

describe('managedFields', () => {
  it('names the owners of a field, of a keyed list entry, and of anything below a field', () => {
    const [operator, prismgate] = managedFieldsOf(object);
    expect(managedFieldsOf(object)).toHaveLength(2);
    expect(ownersOf(object, [fieldStep('status'), fieldStep('traffic')])).toEqual([prismgate]);
    const available = [fieldStep('status'), fieldStep('conditions'), keyStep({ type: 'Available' })];
    expect(ownersOf(object, available)).toEqual([operator]);
    expect(ownersOf(object, [fieldStep('status'), fieldStep('conditions')])).toEqual([operator, prismgate]);
    expect(ownersOf(object, [fieldStep('spec')])).toEqual([]);
    expect(ownersOf({}, [fieldStep('status')])).toEqual([]);
  });

  it('lists the steps an entry owns below a field, without the node itself', () => {
    const [operator, prismgate] = managedFieldsOf(object);
    expect(ownedChildren(prismgate!, [fieldStep('status')])).toEqual(['f:traffic', 'f:conditions']);
    expect(ownedChildren(operator!, [fieldStep('status'), fieldStep('conditions')])).toEqual([
      'k:{"type":"Available"}',
    ]);
  });

  it('writes keyed steps with sorted keys, as the API server does', () => {
    expect(keyStep({ type: 'Ready', name: 'a' })).toBe('k:{"name":"a","type":"Ready"}');
  });

  it('names the writer of a write: the entry stamped anew or given a field, not one that only lost fields', () => {
    const [operator, prismgate] = managedFieldsOf(object);
    const at = (entries: unknown[]) => ({ metadata: { managedFields: entries } });
    const applied = { ...prismgate!, time: '2025-11-09T19:00:01Z' };
    expect(writersOf(at([operator, prismgate]), at([operator, applied]))).toEqual([applied]);
    const gained = { ...operator!, fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:extra': {} } } };
    expect(writersOf(at([operator, prismgate]), at([gained, prismgate]))).toEqual([gained]);
    // An update that took prismgate's fields and changed none of its own: no entry names its writer.
    const shrunk = { ...prismgate!, fieldsV1: { 'f:status': { 'f:conditions': {} } } };
    expect(writersOf(at([operator, prismgate]), at([operator, shrunk]))).toEqual([]);
    expect(writersOf(undefined, at([operator]))).toEqual([operator]);
  });
});
