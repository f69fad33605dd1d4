import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { KappnavStatus } from './kappnav-status.ts';
import {
  annotatedStatus,
  applyAnnotationChange,
  differsOnlyInStatus,
  statusAnnotationChange,
  statusAnnotations,
  toJsonPatch,
  toMergePatch,
} from './status-annotations.ts';

const warning: KappnavStatus = {
  value: 'Warning',
  flyover: 'Desired: 2, Available: 1',
  'flyover.nls': ['status.flyover.deployment', '2', '1'],
};

describe('statusAnnotations', () => {
  it('stores flyover.nls as JSON text', () => {
    expect(statusAnnotations(warning)).toEqual({
      'kappnav.status.value': 'Warning',
      'kappnav.status.flyover': 'Desired: 2, Available: 1',
      'kappnav.status.flyover.nls': '["status.flyover.deployment","2","1"]',
    });
    expect(
      statusAnnotations({ value: 'Normal', flyover: 'f', 'flyover.nls': 'key' })[
        'kappnav.status.flyover.nls'
      ],
    ).toBe('"key"');
  });
});

describe('statusAnnotationChange', () => {
  const stored = statusAnnotations(warning);

  it('writes everything on an object without status', () => {
    expect(statusAnnotationChange(undefined, warning)).toEqual({ set: stored, remove: [] });
    expect(statusAnnotationChange({ other: 'x' }, warning)).toEqual({ set: stored, remove: [] });
  });

  it('writes nothing when the stored status is the same', () => {
    expect(statusAnnotationChange({ ...stored, other: 'x' }, warning)).toBeUndefined();
  });

  it('writes a changed flyover even when the value is the same (QUIRK fixed)', () => {
    const next: KappnavStatus = {
      ...warning,
      flyover: 'Desired: 3, Available: 1',
      'flyover.nls': ['status.flyover.deployment', '3', '1'],
    };
    expect(statusAnnotationChange(stored, next)).toEqual({
      set: {
        'kappnav.status.flyover': 'Desired: 3, Available: 1',
        'kappnav.status.flyover.nls': '["status.flyover.deployment","3","1"]',
      },
      remove: [],
    });
  });

  it('removes a stored flyover.nls the new status does not have', () => {
    expect(statusAnnotationChange(stored, { value: 'Warning', flyover: 'Desired: 2, Available: 1' })).toEqual(
      {
        set: {},
        remove: ['kappnav.status.flyover.nls'],
      },
    );
  });
});

describe('patches', () => {
  const object = (annotations?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', ...(annotations ? { annotations } : {}) },
  });
  const apply = (target: KubeObject, ops: ReturnType<typeof toJsonPatch>) =>
    jsonpatch.applyPatch(structuredClone(target), ops, true, false).newDocument;

  it('JSON Patch creates the annotations map when the object has none', () => {
    const change = statusAnnotationChange(undefined, warning)!;
    expect(apply(object(), toJsonPatch(change, undefined)).metadata?.annotations).toEqual(
      statusAnnotations(warning),
    );
  });

  it('JSON Patch sets and removes single annotations and keeps the others', () => {
    const current = { ...statusAnnotations(warning), 'a/b~c': 'kept' };
    const change = statusAnnotationChange(current, { value: 'Normal', flyover: 'ok' })!;
    expect(apply(object(current), toJsonPatch(change, current)).metadata?.annotations).toEqual({
      'kappnav.status.value': 'Normal',
      'kappnav.status.flyover': 'ok',
      'a/b~c': 'kept',
    });
    expect(toJsonPatch({ set: { 'a/b~c': 'v' }, remove: [] }, {})).toEqual([
      { op: 'add', path: '/metadata/annotations/a~1b~0c', value: 'v' },
    ]);
  });

  it('merge patch removes with null', () => {
    expect(
      toMergePatch({ set: { 'kappnav.status.value': 'Normal' }, remove: ['kappnav.status.flyover.nls'] }),
    ).toEqual({
      metadata: { annotations: { 'kappnav.status.value': 'Normal', 'kappnav.status.flyover.nls': null } },
    });
  });
});

describe('annotatedStatus', () => {
  const withAnnotations = (annotations: Record<string, string>): KubeObject => ({
    metadata: { annotations },
  });

  it('reads back what statusAnnotations stored', () => {
    expect(annotatedStatus(withAnnotations(statusAnnotations(warning)))).toEqual(warning);
  });

  it('is undefined without a value, and keeps an NLS text that is not JSON as it is', () => {
    expect(annotatedStatus({ metadata: {} })).toBeUndefined();
    expect(
      annotatedStatus(
        withAnnotations({ 'kappnav.status.value': 'Normal', 'kappnav.status.flyover.nls': 'status.key' }),
      ),
    ).toEqual({
      value: 'Normal',
      flyover: '',
      'flyover.nls': 'status.key',
    });
    expect(
      annotatedStatus(
        withAnnotations({ 'kappnav.status.value': 'Normal', 'kappnav.status.flyover.nls': '{"a":1}' }),
      ),
    ).toEqual({
      value: 'Normal',
      flyover: '',
      'flyover.nls': '{"a":1}',
    });
  });
});

describe('applyAnnotationChange', () => {
  it('sets, overwrites and removes, keeping other annotations', () => {
    const current = { other: 'x', 'kappnav.status.value': 'Normal', 'kappnav.status.flyover.nls': '"k"' };
    const change = statusAnnotationChange(current, { value: 'Warning', flyover: 'f' })!;
    expect(applyAnnotationChange(current, change)).toEqual({
      other: 'x',
      'kappnav.status.value': 'Warning',
      'kappnav.status.flyover': 'f',
    });
  });
});

describe('differsOnlyInStatus', () => {
  const object = (annotations: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n', resourceVersion: '1', annotations },
    spec: { replicas: 1 },
    ...extra,
  });

  it('is true for the echo of a status write, whatever the bookkeeping', () => {
    const written = object({ 'kappnav.status.value': 'Normal', 'kappnav.status.flyover': 'f' });
    written.metadata!.resourceVersion = '2';
    written.metadata!.managedFields = [{ manager: 'prismgate' }];
    expect(differsOnlyInStatus(object({}), written)).toBe(true);
  });

  it('is false when anything else changed: labels, other annotations, spec or status', () => {
    const base = object({ 'kappnav.status.value': 'Normal' });
    expect(differsOnlyInStatus(base, object({ 'kappnav.status.value': 'Normal', owner: 'me' }))).toBe(false);
    expect(differsOnlyInStatus(base, { ...base, spec: { replicas: 2 } })).toBe(false);
    expect(differsOnlyInStatus(base, { ...base, status: { availableReplicas: 1 } })).toBe(false);
    expect(differsOnlyInStatus(base, { ...base, metadata: { ...base.metadata, labels: { app: 'x' } } })).toBe(
      false,
    );
  });
});
