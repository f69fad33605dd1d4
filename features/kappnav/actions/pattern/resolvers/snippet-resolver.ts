/**
 * `${snippet.<name>(<p1>,…)}` (kappnav-prism.md §3.6(e)): the snippet of the merged action map, called in
 * the sandbox with its parameters resolved first and passed as strings.
 */
import { tokenizeCall } from '../language/call-tokenizer.ts';
import { actionMapEntry } from '../language/action-map-entry.ts';
import { patternErrors } from '../language/pattern-error.ts';
import type { Resolver } from '../language/resolution-context.ts';
import { invokeSnippet } from '../language/snippet-invoker.ts';

export const resolveSnippet: Resolver = async (suffix, context) => {
  const call = tokenizeCall(suffix);
  if (!call) throw patternErrors.snippetNameMissing();
  const entry = actionMapEntry(context.actionMap, 'snippets', call.name);
  if (!entry.dictionary) throw patternErrors.snippetNotFound(call.name);
  if (entry.value === undefined) throw patternErrors.notInDictionary('snippets', call.name);
  const args: string[] = [];
  for (const parameter of call.parameters) {
    const resolved = await context.resolve(parameter);
    if (!resolved.fullyResolved) throw patternErrors.snippetParametersUnresolved();
    args.push(resolved.value);
  }
  const result = await invokeSnippet(entry.value, args, context.services);
  if (result === null) throw patternErrors.snippetNoResult(call.name);
  return result;
};
