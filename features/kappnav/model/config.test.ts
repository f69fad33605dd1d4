import { describe, expect, it } from 'vitest';
import { DEFAULT_KAPPNAV_CONFIG, isNamespacePermitted, readKappnavConfig } from './config.ts';

describe('readKappnavConfig', () => {
  it('gives the documented defaults without a ConfigMap', () => {
    const { config, problems } = readKappnavConfig(undefined);
    expect(problems).toEqual([]);
    expect(config).toEqual({
      statusColorMapping: {
        values: { Normal: 'GREEN', Warning: 'YELLOW', Problem: 'RED', Unknown: 'GREY' },
        colors: { GREEN: '#5aa700', YELLOW: '#B4B017', RED: '#A74343', GREY: '#808080' },
      },
      statusPrecedence: ['Problem', 'Warning', 'Unknown', 'Normal'],
      statusUnknown: 'Unknown',
      appNamespaces: undefined,
      serviceAccountName: 'kappnav-sa',
    });
  });

  it('reads the controller test ConfigMap, lenient JSON included', () => {
    // test_data/ns_list_kappnav_config_map.json of kappnav/controller: unquoted PURPLE, trailing newlines.
    const { config, problems } = readKappnavConfig({
      'app-namespaces': 'ns1, ns2',
      'app-status-precedence': '[ "Red Alert", "Problem", "Warning", "Unknown", "Normal" ] \n',
      'status-color-mapping':
        '{ "values": { "Red Alert": PURPLE,  "Normal": "GREEN", "Warning": "YELLOW", "Problem": "RED", "Unknown": "GREY"}, \n' +
        '  "colors": { "GREEN": "#5aa700", "YELLOW": "#B4B017", "RED": "#A74343", "GREY":"#808080", PURPLE: "800080" } \n}\n',
      'status-unknown': 'Unknown',
      'kappnav-sa-name': 'navigator',
    });
    expect(problems).toEqual([]);
    expect(config.statusPrecedence).toEqual(['Red Alert', 'Problem', 'Warning', 'Unknown', 'Normal']);
    expect(config.statusColorMapping.values['Red Alert']).toBe('PURPLE');
    expect(config.statusColorMapping.colors['PURPLE']).toBe('800080');
    expect(config.appNamespaces).toEqual(new Set(['ns1', 'ns2']));
    expect(config.serviceAccountName).toBe('navigator');
  });

  it('accepts values already structured (a YAML map without quotes)', () => {
    const { config } = readKappnavConfig({ 'app-status-precedence': ['Problem', 'Normal'] });
    expect(config.statusPrecedence).toEqual(['Problem', 'Normal']);
  });

  it('falls back to each default separately and explains why', () => {
    const { config, problems } = readKappnavConfig({
      'app-status-precedence': '[ "Problem", ',
      'status-color-mapping': '{ "values": { "Normal": "GREEN" } }',
      'status-unknown': '  ',
      'kappnav-sa-name': '',
    });
    expect(config).toEqual(DEFAULT_KAPPNAV_CONFIG);
    expect(problems).toEqual([
      'kappnav-config status-color-mapping has no "colors" object; using the default {"values":{"Normal":"GREEN","Warning":"YELLOW","Problem":"RED","Unknown":"GREY"},"colors":{"GREEN":"#5aa700","YELLOW":"#B4B017","RED":"#A74343","GREY":"#808080"}}',
      'kappnav-config app-status-precedence is not valid JSON (unexpected end of input at position 13); using the default ["Problem","Warning","Unknown","Normal"]',
      'kappnav-config status-unknown is empty; using the default "Unknown"',
      'kappnav-config kappnav-sa-name is empty; using the default "kappnav-sa"',
    ]);
  });

  it.each([
    ['{"a": 1}', 'is not a non-empty list'],
    ['[]', 'is not a non-empty list'],
    ['["Problem", 3]', 'has an entry that is not a non-empty string'],
  ])('rejects the precedence %s', (text, problem) => {
    const { config, problems } = readKappnavConfig({ 'app-status-precedence': text });
    expect(config.statusPrecedence).toEqual(DEFAULT_KAPPNAV_CONFIG.statusPrecedence);
    expect(problems[0]).toContain(`app-status-precedence ${problem}`);
  });

  it('warns when status-unknown is not in the precedence list', () => {
    const { config, problems } = readKappnavConfig({ 'status-unknown': 'Grey' });
    expect(config.statusUnknown).toBe('Grey');
    expect(problems).toEqual([
      'kappnav-config status-unknown "Grey" is not in app-status-precedence, so components without a status do not count towards their application',
    ]);
  });

  describe('app-namespaces (the frontier)', () => {
    it.each<[string, string[] | undefined]>([
      ['', undefined],
      [' , ', undefined],
      ['ns1', ['ns1']],
      [',ns1,, ns2 ,ns1', ['ns1', 'ns2']],
    ])('%j permits %j', (text, expected) => {
      const { config } = readKappnavConfig({ 'app-namespaces': text });
      expect(config.appNamespaces === undefined ? undefined : [...config.appNamespaces]).toEqual(expected);
    });

    it('skips names that are not namespaces, and permits nothing when none is left', () => {
      const some = readKappnavConfig({ 'app-namespaces': 'ns1, Bad_NS' });
      expect([...some.config.appNamespaces!]).toEqual(['ns1']);
      expect(some.problems).toEqual([
        'kappnav-config app-namespaces: "Bad_NS" is not a namespace name; it is ignored',
      ]);
      const none = readKappnavConfig({ 'app-namespaces': 'Bad_NS' });
      expect(none.config.appNamespaces).toEqual(new Set());
      expect(isNamespacePermitted(none.config, 'default')).toBe(false);
    });

    it('permits every namespace without a list, else only the listed ones', () => {
      expect(isNamespacePermitted(DEFAULT_KAPPNAV_CONFIG, 'anything')).toBe(true);
      const { config } = readKappnavConfig({ 'app-namespaces': 'ns1, ns2' });
      expect(isNamespacePermitted(config, 'ns2')).toBe(true);
      expect(isNamespacePermitted(config, 'ns3')).toBe(false);
    });
  });
});
