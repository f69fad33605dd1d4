/**
 * Reading `snippets` and `variables` of the merged action map (`ResolutionContext.getMapValue`): a
 * primitive entry is its text; the dictionary's absence and a missing entry are told apart, because the
 * resolvers report them differently.
 */
import { primitiveText } from '../../../kam/json-object.ts';
import type { ActionMap } from '../../action-map.ts';

export type EntryLookup = { dictionary: false } | { dictionary: true; value: string | undefined };

export function actionMapEntry(
  map: ActionMap,
  dictionary: 'snippets' | 'variables',
  name: string,
): EntryLookup {
  const entries = map[dictionary];
  if (!entries) return { dictionary: false };
  const value = Object.hasOwn(entries, name) ? entries[name] : undefined;
  return { dictionary: true, value: primitiveText(value) };
}
