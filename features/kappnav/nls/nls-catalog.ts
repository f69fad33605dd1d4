/**
 * The translations available to one action config map (kappnav-prism.md §6.2): NLS ConfigMaps named
 * `<base>.<locale>` in the same namespace as the action map, where `<base>` is the map's `nls-configmap`
 * or `kappnav.actions.nls`, each `data` mapping NLS keys to text. A key is looked up through the locale
 * chain, map by map.
 */
import type { ConfigMapSource } from '../kam/config-map-source.ts';
import { primitiveText } from '../kam/json-object.ts';
import type { MapOrigin } from '../kam/merge-config-maps.ts';
import { localeChain } from './locale-chain.ts';
import type { TextTranslator } from './text-translator.ts';

export const DEFAULT_NLS_CONFIGMAP = 'kappnav.actions.nls';

export class NlsCatalog {
  private readonly maps: Record<string, unknown>[];

  constructor(
    configMaps: ConfigMapSource,
    namespace: string,
    baseName: string,
    locale: string,
    /** With validation, text without a translation is marked `!text!`. */
    private readonly validation: boolean,
  ) {
    this.maps = localeChain(locale)
      .map((entry) => configMaps.getConfigMap(namespace, `${baseName}.${entry}`)?.data)
      .filter((data): data is Record<string, unknown> => data !== undefined);
  }

  /** The catalog of the action map an element came from. */
  static forOrigin(configMaps: ConfigMapSource, origin: MapOrigin, locale: string): NlsCatalog {
    return new NlsCatalog(
      configMaps,
      origin.namespace,
      origin.nlsConfigMap ?? DEFAULT_NLS_CONFIGMAP,
      locale,
      origin.nlsValidation,
    );
  }

  lookup(key: string): string | undefined {
    for (const data of this.maps) {
      const text = Object.hasOwn(data, key) ? primitiveText(data[key]) : undefined;
      if (text !== undefined) return text;
    }
    return undefined;
  }

  /**
   * `<field>` translated through `<field>.nls`. Without a translation (no key, no map, or the key not in
   * it) the plain text is kept, marked `!…!` when validation is enabled; the key stands in for missing text.
   */
  readonly translate: TextTranslator = (holder, field) => {
    const key = holder[`${field}.nls`];
    const nlsKey = typeof key === 'string' && key !== '' ? key : undefined;
    const plain = primitiveText(holder[field]);
    const translated = nlsKey === undefined ? undefined : this.lookup(nlsKey);
    if (translated !== undefined) return translated;
    const text = plain ?? nlsKey;
    if (text === undefined) return undefined;
    return this.validation ? `!${text}!` : text;
  };
}
