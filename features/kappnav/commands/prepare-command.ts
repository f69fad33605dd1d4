/**
 * Command execution up to the Jobs to create (kappnav-prism.md §5.1 steps 2–8): find the cmd-action,
 * validate the user input, resolve the cmd-pattern against the target resource, tokenize it and build one
 * Job per command. Creating the Jobs (in the kappnav namespace) and answering with the last one created is
 * the caller's part.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { findAction, type ActionMap } from '../actions/action-map.ts';
import { PatternResolver } from '../actions/pattern/pattern-resolver.ts';
import type { ResolutionServices } from '../actions/pattern/language/resolution-context.ts';
import { primitiveText } from '../kam/json-object.ts';
import type { TextTranslator } from '../nls/text-translator.ts';
import { CommandError } from './command-error.ts';
import { buildCommandJob, fanOutCommands, type CommandTarget } from './command-job.ts';
import { tokenizeCommandLine } from './command-line-tokenizer.ts';
import { validateUserInput } from './user-input.ts';

export interface CommandExecution {
  target: CommandTarget;
  /** The merged action map of the target resource. */
  actionMap: ActionMap;
  actionName: string;
  /** The raw request body (user input); empty or blank means none. */
  body: string | undefined;
  /** The authenticated user. */
  user: string | undefined;
  serviceAccountName: string;
  services: ResolutionServices;
  /** Translates validator messages for the caller's locale. */
  translate?: TextTranslator;
  newUuid?: () => string;
}

function targetResource(target: CommandTarget): KubeObject {
  return target.scope === 'application' ? target.application : target.component;
}

/**
 * The Jobs to create, in order. Throws CommandError (not found, invalid input, unresolved pattern) or
 * PatternError (the cmd-pattern or a validator failed).
 */
export async function prepareCommandJobs(execution: CommandExecution): Promise<KubeObject[]> {
  const { actionMap, actionName } = execution;
  const action = findAction(actionMap, 'cmd-actions', actionName);
  if (!action)
    throw new CommandError('action-not-found', `Command action ${actionName} is not found in config map.`);
  const userInput = await validateUserInput({
    action,
    actionMap,
    body: execution.body,
    services: execution.services,
    translate: execution.translate,
  });
  const image = primitiveText(action['image']);
  if (image === undefined)
    throw new CommandError('image-missing', 'Image was not specified in the command action.');
  const cmdPattern = primitiveText(action['cmd-pattern']);
  if (cmdPattern === undefined)
    throw new CommandError('cmd-pattern-missing', 'cmd-pattern was not specified in the command action.');

  const resource = targetResource(execution.target);
  const resolved = await new PatternResolver({
    resource,
    actionMap,
    userInput,
    services: execution.services,
  }).resolve(cmdPattern);
  if (!resolved.fullyResolved)
    // The reference's message ran the pattern into the sentence and did not say what was left over.
    throw new CommandError(
      'pattern-unresolved',
      `An internal error occurred in the resolution of the command action pattern ${cmdPattern}: ` +
        `no resolver for ${resolved.unresolvedTokens.join(', ')}`,
    );

  return fanOutCommands(tokenizeCommandLine(resolved.value)).map((command) =>
    buildCommandJob({
      target: execution.target,
      actionName,
      actionText: primitiveText(action['text']),
      image,
      command,
      user: execution.user,
      serviceAccountName: execution.serviceAccountName,
      kappnavNamespace: execution.services.kappnavNamespace,
      newUuid: execution.newUuid,
    }),
  );
}
