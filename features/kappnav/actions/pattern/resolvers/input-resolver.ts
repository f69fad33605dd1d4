/** `${input.<field>}` (kappnav-prism.md §3.6(e)): a field of the validated user input (§5.2). */
import type { Resolver } from '../language/resolution-context.ts';

export const resolveInput: Resolver = async (suffix, context) =>
  Object.hasOwn(context.userInput, suffix) ? (context.userInput[suffix] ?? null) : null;
