/**
 * User input of a command action (kappnav-prism.md §5.2, `processUserInput` / `setUserInput` /
 * `validateField`): the request body checked against the fields of the action's `requires-input`, with
 * validator snippets, optional fields and defaults. The result backs `${input.<field>}`.
 */
import { parseLenientJson } from '../../../pkg/json/lenient-json.ts';
import { primitiveText } from '../kam/json-object.ts';
import { isJsonObject, type JsonObject } from '../../../pkg/json/json-value.ts';
import type { Action, ActionMap } from '../actions/action-map.ts';
import { actionMapEntry } from '../actions/pattern/language/action-map-entry.ts';
import { patternErrors } from '../actions/pattern/language/pattern-error.ts';
import type { ResolutionServices } from '../actions/pattern/language/resolution-context.ts';
import { invokeSnippet } from '../actions/pattern/language/snippet-invoker.ts';
import type { TextTranslator } from '../nls/text-translator.ts';
import { CommandError } from './command-error.ts';

export interface UserInputRequest {
  action: Action;
  actionMap: ActionMap;
  /** The raw request body; empty or blank means no input. */
  body: string | undefined;
  services: Pick<ResolutionServices, 'scripts' | 'snippetTimeoutMs'>;
  /** Translates a validator's `message` (through its `message.nls`) for the caller's locale. */
  translate?: TextTranslator;
}

const invalid = (message: string, field?: string) => new CommandError('input-invalid', message, field);

function fieldsOf(action: Action, actionMap: ActionMap): JsonObject | undefined {
  const inputName = primitiveText(action['requires-input']);
  if (inputName === undefined) return undefined;
  const input = actionMap.inputs?.[inputName];
  const fields = isJsonObject(input) ? input['fields'] : undefined;
  if (!isJsonObject(fields))
    throw new CommandError(
      'input-definition',
      `An error occurred in the resolution of the field definitions for input "${inputName}".`,
    );
  return fields;
}

function parseBody(body: string | undefined): JsonObject {
  if (body === undefined || body.trim() === '') return {};
  let parsed;
  try {
    parsed = parseLenientJson(body);
  } catch (error) {
    throw new CommandError('input-syntax', (error as Error).message);
  }
  if (!isJsonObject(parsed))
    throw invalid(`The inputs ${body} specified was in the wrong format. It is expected to be a map.`);
  return parsed;
}

async function validateField(request: UserInputRequest, field: string, value: string, validator: string) {
  const snippet = actionMapEntry(request.actionMap, 'snippets', validator);
  // The reference skipped validation when the map had no `snippets` at all; a named validator that does
  // not exist is a configuration error either way (QUIRK fix).
  if (!snippet.dictionary) throw patternErrors.snippetNotFound(validator);
  if (snippet.value === undefined) throw patternErrors.notInDictionary('snippets', validator);
  const output = await invokeSnippet(snippet.value, [JSON.stringify({ value })], request.services);
  if (output === null) throw invalid('Validation of the field failed due to an internal error.', field);
  let result;
  try {
    result = parseLenientJson(output);
  } catch (error) {
    throw invalid(
      `The validation result for the field could not be processed. Reason: ${(error as Error).message}`,
      field,
    );
  }
  if (isJsonObject(result)) {
    if (primitiveText(result['valid'])?.toLowerCase() === 'true') return;
    const message = primitiveText(result['message']);
    if (message !== undefined)
      throw invalid(
        `The field is invalid. Reason: ${request.translate?.(result, 'message') ?? message}`,
        field,
      );
  }
  throw invalid(
    'The validation result for the field could not be processed because it was in the wrong format.',
    field,
  );
}

/** The input map for `${input.*}`; `{}` for an action without `requires-input` (the body is then ignored). */
export async function validateUserInput(request: UserInputRequest): Promise<Record<string, string>> {
  const fields = fieldsOf(request.action, request.actionMap);
  if (!fields) return {};
  const supplied = parseBody(request.body);
  const input = new Map<string, string>();
  for (const [key, raw] of Object.entries(supplied)) {
    if (!Object.hasOwn(fields, key)) throw invalid('The field was specified but was not expected.', key);
    const value = primitiveText(raw);
    if (value === undefined)
      throw invalid('The field was specified but does not have a primitive value.', key);
    const definition = fields[key];
    const validator = isJsonObject(definition) ? primitiveText(definition['validator']) : undefined;
    if (validator !== undefined) await validateField(request, key, value, validator);
    input.set(key, value);
  }
  for (const [key, definition] of Object.entries(fields)) {
    if (input.has(key) || !isJsonObject(definition)) continue;
    if (primitiveText(definition['optional'])?.toLowerCase() !== 'true')
      throw invalid('A required field was not specified.', key);
    const fallback = primitiveText(definition['default']);
    if (fallback !== undefined) input.set(key, fallback);
  }
  return Object.fromEntries(input);
}
