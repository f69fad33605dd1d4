import { afterAll, describe, expect, it } from 'vitest';
import { ScriptSandbox } from '../../../../pkg/sandbox/script-sandbox.ts';
import type { ActionMap } from '../action-map.ts';
import { resolveInputPatterns } from './resolve-input-patterns.ts';
import { loyalty, object, resolverFactory } from '../../../../test/support/kappnav/resolution-fixture.ts';

const sandbox = new ScriptSandbox({ workers: 1 });
afterAll(() => sandbox.close());
const resolverFor = resolverFactory(sandbox);

const map: ActionMap = {
  'cmd-actions': [{ name: 'trace', 'requires-input': 'trace' }],
  inputs: {
    trace: {
      title: 'Trace',
      fields: {
        pod: { label: 'Pod', type: 'select', values: ['${func.podlist()}'] },
        target: { label: 'Target', default: '${resource.$.metadata.name}' },
        other: { values: ['${func.podlist()}', 'x'], default: 'plain' },
      },
    },
    broken: { fields: 'not an object' },
  },
};

describe('resolveInputPatterns (kappnav-prism.md §3.8)', () => {
  it('fills pod lists and the resource name into input fields of a Deployment', async () => {
    const resolved = await resolveInputPatterns(map, resolverFor(loyalty).resolver);
    expect(resolved.inputs).toEqual({
      trace: {
        title: 'Trace',
        fields: {
          pod: { label: 'Pod', type: 'select', values: ['loyalty-1', 'loyalty-2'] },
          target: { label: 'Target', default: 'loyalty-level' },
          other: { values: ['${func.podlist()}', 'x'], default: 'plain' },
        },
      },
      broken: { fields: 'not an object' },
    });
    expect(map.inputs!['trace']).toMatchObject({ fields: { pod: { values: ['${func.podlist()}'] } } });
  });

  it('leaves what does not resolve, and other kinds, as written', async () => {
    const pod = object('v1', 'Pod', 'stock-trader', 'loyalty-1');
    const forPod = await resolveInputPatterns(map, resolverFor(pod).resolver);
    expect(forPod.inputs!['trace']).toMatchObject({
      fields: { pod: { values: ['${func.podlist()}'] }, target: { default: 'loyalty-1' } },
    });
    const service = object('v1', 'Service', 'stock-trader', 's');
    expect(await resolveInputPatterns(map, resolverFor(service).resolver)).toBe(map);
  });
});
