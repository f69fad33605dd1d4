import { describe, expect, it } from 'vitest';
import type { ConfigMap } from './config-map-source.ts';
import { mergeConfigMaps, type MergeLayout } from './merge-config-maps.ts';
import { configMap } from '../../../test/support/kappnav/in-memory-config-maps.ts';

const ACTIONS: MergeLayout = {
  lists: ['url-actions', 'cmd-actions', 'function-actions'],
  dictionaries: ['inputs', 'snippets', 'variables'],
};

const located = (map: ConfigMap) => ({
  name: map.metadata!.name!,
  namespace: map.metadata!.namespace!,
  configMap: map,
});

describe('mergeConfigMaps (kappnav-prism.md §3.5)', () => {
  it('gives the effective set of the actions-config-maps.md example (§7.3), most specific map first', () => {
    const deployment = configMap('prism', 'prism.deployment', {
      'url-actions': `[
        {"name":"config","description":"Edit Config","url":"https://\${server}/serverConfig"},
        {"name":"monitor","description":"View Monitor","url":"https://\${server}/serverMonitor"}]`,
    });
    const liberty = configMap(
      'prism',
      'prism.deployment-liberty',
      {
        'url-actions': `[
          {"name":"config","description":"Edit Config","url":"https://\${production.server}/serverConfig"},
          {"name":"logs","description":"View Logs","url":"https://\${production.server}/serverLog"}]`,
      },
      { 'kappnav.actions.on.conflict': 'replace' },
    );
    const myapp = configMap(
      'default',
      'prism.deployment-liberty.myapp',
      {
        'url-actions': `[
          {"name":"logs","description":"View Merged Logs","url":"https://\${production.server}/mergedLogs"},
          {"name":"app","description":"View Homepage","url":"https://\${production.server}/home"}]`,
      },
      { 'kappnav.actions.on.conflict': 'merge' },
    );
    const merged = mergeConfigMaps([myapp, liberty, deployment].map(located), ACTIONS);
    expect(merged.data).toEqual({
      'url-actions': [
        { name: 'logs', description: 'View Merged Logs', url: 'https://${production.server}/mergedLogs' },
        { name: 'app', description: 'View Homepage', url: 'https://${production.server}/home' },
        { name: 'config', description: 'Edit Config', url: 'https://${production.server}/serverConfig' },
      ],
    });
    expect([...merged.origins.get('url-actions')!].map(([name, origin]) => `${name}<${origin.name}`)).toEqual(
      [
        'logs<prism.deployment-liberty.myapp',
        'app<prism.deployment-liberty.myapp',
        'config<prism.deployment-liberty',
      ],
    );
  });

  it('lets the first map win per name and per dictionary key, and drops elements without a string name', () => {
    const specific = configMap('ns', 'specific', {
      'cmd-actions': '[{"name":"run","image":"a"}, {"image":"nameless"}, {"name":7}, "text"]',
      inputs: '{"in": {"fields": {}}}',
      snippets: '{"s": "function s() { return 1; }"}',
      variables: '{"v": "${resource.$.a}"}',
    });
    const general = configMap('kappnav', 'general', {
      'cmd-actions': '[{"name":"run","image":"b"}, {"name":"other","image":"c"}]',
      'function-actions': '[{"name":"f","parameter-pattern":"p"}]',
      inputs: '{"in": {"fields": {"x": {}}}, "in2": {}}',
      snippets: '{"s": "function t() {}", "s2": "function u() {}"}',
      variables: '{"v": "other", "w": "w"}',
    });
    expect(mergeConfigMaps([specific, general].map(located), ACTIONS).data).toEqual({
      'cmd-actions': [
        { name: 'run', image: 'a' },
        { name: 'other', image: 'c' },
      ],
      'function-actions': [{ name: 'f', 'parameter-pattern': 'p' }],
      inputs: { in: { fields: {} }, in2: {} },
      snippets: { s: 'function s() { return 1; }', s2: 'function u() {}' },
      variables: { v: '${resource.$.a}', w: 'w' },
    });
  });

  it('stops after a map annotated replace', () => {
    const replacing = configMap(
      'ns',
      'r',
      { snippets: '{"a": "x"}' },
      { 'kappnav.actions.on.conflict': 'replace' },
    );
    const ignored = configMap('ns', 'i', { 'url-actions': '[{"name":"n"}]' });
    const merged = mergeConfigMaps([replacing, ignored].map(located), ACTIONS);
    expect(merged.data).toEqual({ snippets: { a: 'x' } });
    expect(merged.merged.map(({ name, namespace }) => ({ name, namespace }))).toEqual([
      { name: 'r', namespace: 'ns' },
    ]);
  });

  it('gives {} for no maps and leaves out empty groups', () => {
    expect(mergeConfigMaps([], ACTIONS).data).toEqual({});
    const empty = configMap('ns', 'e', { 'url-actions': '[]', inputs: '{}', unrelated: '"x"' });
    expect(mergeConfigMaps([empty].map(located), ACTIONS).data).toEqual({});
  });

  it('reads values leniently, takes structured values as they are, and reports unreadable ones', () => {
    const lenient = configMap('ns', 'lenient', {
      'url-actions': "[ { name: detail, text: 'View', // a comment\n } ]",
      snippets: '{ "broken": ',
      variables: '[1]',
    });
    const structured: ConfigMap = {
      metadata: { namespace: 'ns', name: 'structured' },
      data: { inputs: { in: { fields: {} } } },
    };
    const merged = mergeConfigMaps([lenient, structured].map(located), ACTIONS);
    expect(merged.data).toEqual({
      'url-actions': [{ name: 'detail', text: 'View' }],
      inputs: { in: { fields: {} } },
    });
    expect(merged.problems).toEqual([
      expect.stringMatching(/^ns\/lenient data\.snippets: unexpected end of input/),
      'ns/lenient data.variables: not an object',
    ]);
  });

  it('records where each element came from, with the NLS settings of that map', () => {
    const withNls = configMap('apps', 'mine', {
      'url-actions': '[{"name":"a"}]',
      inputs: '{"in": {}}',
      'nls-configmap': 'my.nls',
      'nls-validation': 'disabled',
    });
    const plain = configMap('kappnav', 'kappnav.actions.x', { 'url-actions': '[{"name":"b"}]' });
    const { origins } = mergeConfigMaps([withNls, plain].map(located), ACTIONS);
    expect(origins.get('url-actions')!.get('a')).toEqual({
      name: 'mine',
      namespace: 'apps',
      nlsConfigMap: 'my.nls',
      nlsValidation: false,
    });
    expect(origins.get('inputs')!.get('in')!.name).toBe('mine');
    expect(origins.get('url-actions')!.get('b')).toEqual({
      name: 'kappnav.actions.x',
      namespace: 'kappnav',
      nlsConfigMap: undefined,
      nlsValidation: true,
    });
  });

  it('keeps a "__proto__" key as data', () => {
    const map = configMap('ns', 'p', { variables: '{"__proto__": "x", "y": "z"}' });
    const variables = mergeConfigMaps([map].map(located), ACTIONS).data['variables'] as Record<
      string,
      unknown
    >;
    expect(Object.keys(variables)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(variables)).toBe(Object.prototype);
  });
});
