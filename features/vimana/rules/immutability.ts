/**
 * Fields fixed once set (vimana-invariants.md §2.4 I1-I5): each one names generated objects, labels,
 * hostnames or image paths, and changing it would orphan what the old value named.
 *
 * "Once set": a value that was absent or empty before may be filled in, which lets an object created
 * before this gate (the operator's samples have no spec at all) be repaired instead of recreated; nothing
 * can have been derived from an empty id.
 */
import { readPath } from '../fields.ts';
import { renderValue, sameJson } from '../../../pkg/json/json-value.ts';
import type { VimanaRule } from './rule.ts';

function immutableRule(
  header: Pick<VimanaRule, 'name' | 'rule' | 'description' | 'kinds'>,
  fields: readonly string[],
  advice = '',
): VimanaRule {
  return {
    ...header,
    operations: ['UPDATE'],
    severity: 'deny',
    check: ({ object, oldObject }) =>
      fields.flatMap((path) => {
        const before = readPath(oldObject, path);
        const after = readPath(object, path);
        if (before === undefined || before === '' || sameJson(before, after)) return [];
        return [{ path, value: after, expected: `is immutable${advice}; it was ${renderValue(before, 48)}` }];
      }),
  };
}

const domainId = immutableRule(
  { name: 'domain-id-immutable', rule: 'I1', kinds: ['Domain'], description: 'Domain spec.id never changes' },
  ['spec.id'],
);

const serverIdentity = immutableRule(
  {
    name: 'server-identity-immutable',
    rule: 'I2',
    kinds: ['Server'],
    description: 'Server spec.id and spec.domain never change',
  },
  ['spec.id', 'spec.domain'],
);

const componentIdentity = immutableRule(
  {
    name: 'component-identity-immutable',
    rule: 'I3',
    kinds: ['Component'],
    description: 'Component spec.domain, spec.server and spec.version never change',
  },
  ['spec.domain', 'spec.server', 'spec.version'],
  '; create a new Component',
);

/** I4, strict variant: "In production, however, images are immutable", and versions are never re-used. */
const componentImage = immutableRule(
  {
    name: 'component-image-immutable',
    rule: 'I4',
    kinds: ['Component'],
    description: 'Component spec.image never changes; a new image is a new version',
  },
  ['spec.image'],
  '; create a new version',
);

/** I5: with one Vimana per namespace (R1) no valid change exists anyway. */
const domainVimana = immutableRule(
  {
    name: 'domain-vimana-immutable',
    rule: 'I5',
    kinds: ['Domain'],
    description: 'Domain spec.vimana never changes',
  },
  ['spec.vimana'],
);

export const immutabilityRules: readonly VimanaRule[] = [
  domainId,
  serverIdentity,
  componentIdentity,
  componentImage,
  domainVimana,
];
