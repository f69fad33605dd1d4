/**
 * Command execution up to the Jobs to create (kappnav-prism.md §5.1 steps 2–8): find the cmd-action,
 * validate the user input, split the cmd-pattern into arguments and resolve each against the target
 * resource (so a substituted value is one argument: command-line-tokenizer.ts), and build one Job per
 * command. Which map the action is read from and where its Jobs go is the plan's (command-trust.ts);
 * creating the Jobs and answering with the last one created is the caller's part.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { findAction, type ActionMap } from '../actions/action-map.ts';
import { PatternResolver } from '../actions/pattern/pattern-resolver.ts';
import type { ResolutionServices } from '../actions/pattern/language/resolution-context.ts';
import { primitiveText } from '../kam/json-object.ts';
import type { TextTranslator } from '../nls/text-translator.ts';
import { actionNotFound, CommandError } from './command-error.ts';
import { buildCommandJob, fanOutCommands, type CommandTarget, type JobPlacement } from './command-job.ts';
import { tokenizeCommandLine } from './command-line-tokenizer.ts';
import { validateUserInput } from './user-input.ts';

export interface CommandExecution {
  target: CommandTarget;
  /** The merged action map the command is read and resolved from: the maps of its author's standing. */
  actionMap: ActionMap;
  actionName: string;
  /** The raw request body (user input); empty or blank means none. */
  body: string | undefined;
  /** The authenticated user. */
  user: string | undefined;
  placement: JobPlacement;
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
  if (!action) throw actionNotFound(actionName);
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

  const resolver = new PatternResolver({
    resource: targetResource(execution.target),
    actionMap,
    userInput,
    services: execution.services,
  });
  const patterns = tokenizeCommandLine(cmdPattern);
  const args: string[] = [];
  const unresolved: string[] = [];
  for (const pattern of patterns) {
    const resolved = await resolver.resolve(pattern);
    unresolved.push(...resolved.unresolvedTokens);
    args.push(resolved.value);
  }
  if (unresolved.length > 0)
    // The reference's message ran the pattern into the sentence and did not say what was left over.
    throw new CommandError(
      'pattern-unresolved',
      `An internal error occurred in the resolution of the command action pattern ${cmdPattern}: ` +
        `no resolver for ${unresolved.join(', ')}`,
    );

  return fanOutCommands(patterns, args).map((command) =>
    buildCommandJob({
      target: execution.target,
      actionName,
      actionText: primitiveText(action['text']),
      image,
      command,
      user: execution.user,
      placement: execution.placement,
      newUuid: execution.newUuid,
    }),
  );
}
