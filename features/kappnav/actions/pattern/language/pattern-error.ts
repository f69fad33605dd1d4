/**
 * The errors of the pattern language (kappnav-prism.md §3.6), one constructor per failure with the
 * reference's message text, so that callers can both show the familiar message and branch on `code`.
 */

export type PatternErrorCode =
  | 'not-a-pattern'
  | 'no-resolver'
  | 'unresolved'
  | 'invalid-resource-path'
  | 'config-map-key-missing'
  | 'global-syntax'
  | 'no-matching-function'
  | 'function-name-missing'
  | 'snippet-name-missing'
  | 'snippet-not-in-snippets'
  | 'snippet-not-found'
  | 'snippet-parameters-unresolved'
  | 'snippet-without-function'
  | 'snippet-no-result'
  | 'snippet-failed'
  | 'variable-cycle'
  | 'variable-unresolved'
  | 'variable-not-in-variables'
  | 'kubectl-get-failed'
  | 'unprefixed';

export class PatternError extends Error {
  override readonly name = 'PatternError';
  /** The token that failed: the innermost `${…}` whose resolution failed, or the token the check rejected. */
  token: string | undefined;

  constructor(
    readonly code: PatternErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** Names the failing token unless a more deeply nested one is named already. */
  withToken(token: string): this {
    this.token ??= token;
    return this;
  }
}

export const patternErrors = {
  notAPattern: (pattern: string) => new PatternError('not-a-pattern', `${pattern} is not a pattern.`),
  noResolver: (pattern: string) =>
    new PatternError('no-resolver', `can not find the resolver for ${pattern}`),
  unresolved: (suffix: string) => new PatternError('unresolved', `cannot resolve ${suffix}`),
  invalidResourcePath: (suffix: string) =>
    new PatternError('invalid-resource-path', `Cannot resolve resource ${suffix}`),
  configMapKeyMissing: (key: string) =>
    new PatternError('config-map-key-missing', `cannot get ConfigMap data for ${key}`),
  globalSyntax: (suffix: string) =>
    new PatternError(
      'global-syntax',
      `cannot resolve ${suffix} because syntax is incorrect: expected '#' not found.`,
    ),
  noMatchingFunction: (suffix: string) =>
    new PatternError(
      'no-matching-function',
      `can not resolve ${suffix} because no matching function found in the map`,
    ),
  functionNameMissing: (suffix: string) =>
    new PatternError('function-name-missing', `can not resolve ${suffix} because function name is null`),
  snippetNameMissing: () =>
    new PatternError('snippet-name-missing', 'can not resolve snippet because snippet name is null.'),
  notInDictionary: (dictionary: 'snippets' | 'variables', name: string) =>
    new PatternError(
      dictionary === 'snippets' ? 'snippet-not-in-snippets' : 'variable-not-in-variables',
      `${dictionary} ${name} is not found.`,
    ),
  snippetNotFound: (name: string) =>
    new PatternError('snippet-not-found', `snippet ${name} is not found in the action config map.`),
  snippetParametersUnresolved: () =>
    new PatternError(
      'snippet-parameters-unresolved',
      'one or more of the script parameters can not be resolved.',
    ),
  snippetWithoutFunction: (snippet: string) =>
    new PatternError('snippet-without-function', `no function found in the snippet ${snippet}`),
  snippetNoResult: (name: string) => new PatternError('snippet-no-result', `cannot invoke snippet ${name}`),
  snippetFailed: (functionName: string, reason: string) =>
    new PatternError(
      'snippet-failed',
      `problem invoking snippet for function=${functionName}, Reason=${reason}`,
    ),
  variableCycle: (name: string) =>
    new PatternError('variable-cycle', `${name} contains cycles in variable definitions.`),
  variableUnresolved: (name: string) => new PatternError('variable-unresolved', `can not resolve ${name}`),
  /**
   * Tokens without a resolver prefix, which the reference passed through verbatim. Where a resolved value
   * is used (a URL the UI opens, a Job's command) that text is never right, so callers refuse it.
   */
  unprefixed: (tokens: readonly string[]) =>
    new PatternError(
      'unprefixed',
      `${tokens.join(', ')} cannot be resolved: a token needs a resolver prefix (resource, builtin, global, func, snippet, input or var)`,
    ).withToken(tokens[0] ?? ''),
  /** The reference's message, followed by why the request could not be served. */
  kubectlGetFailed: (args: readonly string[], reason: string) =>
    new PatternError('kubectl-get-failed', `Kubectl get [${args.join(', ')}] can not be resolved: ${reason}`),
};
