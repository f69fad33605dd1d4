/**
 * Calling a snippet (kappnav-prism.md §3.6(e) `${snippet.*}`, §5.2 validators) in the script sandbox.
 * kAppNav takes the function to call from the snippet text: the identifier between `function ` and `(`.
 */
import { patternErrors } from './pattern-error.ts';
import type { ResolutionServices } from './resolution-context.ts';

export function snippetFunctionName(source: string): string | undefined {
  const start = source.indexOf('function ');
  if (start < 0) return undefined;
  const end = source.indexOf('(', start);
  return end < 0 ? undefined : source.slice(start + 'function '.length, end).trim();
}

/** The snippet's result as text, or null when it returned null or undefined; script failures throw. */
export async function invokeSnippet(
  source: string,
  args: string[],
  services: Pick<ResolutionServices, 'scripts' | 'snippetTimeoutMs'>,
): Promise<string | null> {
  const functionName = snippetFunctionName(source);
  if (!functionName) throw patternErrors.snippetWithoutFunction(source);
  const result = await services.scripts.call({
    source,
    functionName,
    args,
    timeoutMs: services.snippetTimeoutMs,
  });
  if (!result.ok) throw patternErrors.snippetFailed(functionName, result.error);
  return result.value;
}
