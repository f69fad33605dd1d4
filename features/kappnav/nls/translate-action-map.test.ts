import { describe, expect, it } from 'vitest';
import { mergeActionMaps } from '../actions/action-map.ts';
import type { ConfigMap } from '../kam/config-map-source.ts';
import { configMap, InMemoryConfigMaps } from '../../../test/support/kappnav/in-memory-config-maps.ts';
import { loadManifests } from '../../../test/support/kappnav/shipped-manifests.ts';
import { localeChain } from './locale-chain.ts';
import { NlsCatalog } from './nls-catalog.ts';
import { translateActionMap } from './translate-action-map.ts';

const located = (map: ConfigMap) => ({
  name: map.metadata!.name!,
  namespace: map.metadata!.namespace!,
  configMap: map,
});

const userMap = configMap('shop', 'shop.actions.deployment.web', {
  'nls-configmap': 'shop.nls',
  'url-actions': JSON.stringify([
    {
      name: 'home',
      text: 'View home page',
      'text.nls': 'view-home-page',
      description: 'Home',
      'description.nls': 'view-home-page-desc',
    },
    { name: 'untranslated', text: 'Untranslated', 'text.nls': 'no-such-key' },
    { name: 'plain', text: 'Plain text' },
  ]),
  'cmd-actions': JSON.stringify([
    { name: 'trace', text: 'Trace', 'text.nls': 'trace', 'requires-input': 'trace' },
  ]),
  inputs: JSON.stringify({
    trace: {
      title: 'Trace',
      fields: {
        spec: {
          label: 'Spec',
          'label.nls': 'spec-label',
          default: '*=info',
          'default.nls': 'spec-default',
          description: 'What to trace',
        },
      },
    },
  }),
});
const quietMap = configMap('shop', 'shop.actions.quiet', {
  'nls-validation': 'disabled',
  'url-actions': JSON.stringify([{ name: 'quiet', text: 'Quiet', 'text.nls': 'missing' }]),
});
const nlsMaps = [
  configMap('shop', 'shop.nls.fr_CA', { 'view-home-page': 'Voir la page d’accueil (CA)' }),
  configMap('shop', 'shop.nls.fr', {
    'view-home-page': 'Voir la page d’accueil',
    'view-home-page-desc': 'Accueil',
    trace: 'Tracer',
    'spec-label': 'Spécification',
  }),
  configMap('shop', 'shop.nls.en', { 'spec-default': '*=info' }),
  // Beside the other maps but in the kappnav namespace: never consulted for maps in shop.
  configMap('kappnav', 'shop.nls.fr', { 'no-such-key': 'wrong namespace' }),
];
const merged = mergeActionMaps([userMap, quietMap].map(located));
const configMaps = new InMemoryConfigMaps(nlsMaps);

describe('translateActionMap (kappnav-prism.md §6.2)', () => {
  it('translates through the locale chain of the source map, marks what has no translation, keeps the .nls keys', () => {
    const map = translateActionMap(merged, 'fr_CA', configMaps);
    expect(map['url-actions']).toEqual([
      {
        name: 'home',
        text: 'Voir la page d’accueil (CA)',
        'text.nls': 'view-home-page',
        description: 'Accueil',
        'description.nls': 'view-home-page-desc',
      },
      { name: 'untranslated', text: '!Untranslated!', 'text.nls': 'no-such-key' },
      { name: 'plain', text: '!Plain text!' },
      { name: 'quiet', text: 'Quiet', 'text.nls': 'missing' },
    ]);
    expect(map['cmd-actions']).toEqual([
      { name: 'trace', text: 'Tracer', 'text.nls': 'trace', 'requires-input': 'trace' },
    ]);
    expect(map.inputs).toEqual({
      trace: {
        title: 'Trace',
        fields: {
          spec: {
            label: 'Spécification',
            'label.nls': 'spec-label',
            default: '*=info',
            'default.nls': 'spec-default',
            description: '!What to trace!',
          },
        },
      },
    });
  });

  it('does not change the merged map', () => {
    translateActionMap(merged, 'fr', configMaps);
    expect(merged.map['url-actions']![0]!.text).toBe('View home page');
  });

  it('reads the default NLS maps beside the shipped action maps', () => {
    const [deploymentMap] = loadManifests('actions-deployment.yaml') as ConfigMap[];
    const shipped = mergeActionMaps([located(deploymentMap!)]);
    const english = new InMemoryConfigMaps(loadManifests('actions-nls-en.yaml') as ConfigMap[]);
    const map = translateActionMap(shipped, 'ja', english);
    expect(map['url-actions']!.map((a) => a.text)).toEqual([
      'View Detail',
      'View Replicas',
      'View Project Doc',
      'View Project Code',
      'View Stack Doc',
      'View Stack Code',
    ]);
  });
});

describe('NlsCatalog', () => {
  const catalog = new NlsCatalog(configMaps, 'shop', 'shop.nls', 'fr_CA', true);

  it('looks a key up map by map along the chain', () => {
    expect(catalog.lookup('view-home-page')).toBe('Voir la page d’accueil (CA)');
    expect(catalog.lookup('trace')).toBe('Tracer');
    expect(catalog.lookup('spec-default')).toBe('*=info');
    expect(catalog.lookup('nothing')).toBeUndefined();
  });

  it('marks the key itself when there is neither text nor translation, and leaves absent fields alone', () => {
    expect(catalog.translate({ 'text.nls': 'nothing' }, 'text')).toBe('!nothing!');
    expect(catalog.translate({}, 'text')).toBeUndefined();
    expect(
      new NlsCatalog(configMaps, 'shop', 'shop.nls', 'fr', false).translate(
        { 'text.nls': 'nothing' },
        'text',
      ),
    ).toBe('nothing');
  });
});

describe('localeChain', () => {
  it.each([
    ['fr_CA', ['fr_CA', 'fr', 'en']],
    ['fr-CA', ['fr_CA', 'fr', 'en']],
    ['pt_BR', ['pt_BR', 'pt', 'en']],
    ['ja', ['ja', 'en']],
    ['en_US', ['en_US', 'en']],
    ['en', ['en']],
    ['', ['en']],
  ])('%s → %j', (locale, chain) => {
    expect(localeChain(locale)).toEqual(chain);
  });
});
