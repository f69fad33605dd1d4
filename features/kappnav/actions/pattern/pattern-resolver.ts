/**
 * Resolving substitution patterns (kappnav-prism.md §3.6, `ResolutionContext.resolve`): tokenize, check
 * every token, decode literals, and hand each `${prefix.suffix}` to the resolver of its prefix. Tokens
 * without a `.` are passed through verbatim and reported in `unresolvedTokens`; callers decide whether
 * that is acceptable (the GET resolver returns the text, command execution refuses it).
 *
 * One resolver is one resolution context: variables resolve once and are cached for its lifetime.
 */
import type { KubeObject } from '../../../../pkg/kube/types.ts';
import type { ActionMap } from '../action-map.ts';
import { PatternError, patternErrors } from './language/pattern-error.ts';
import { checkToken, decodeLiteral, tokenText, tokenizePattern } from './language/pattern-tokenizer.ts';
import type {
  ResolutionContext,
  ResolutionServices,
  ResolvedPattern,
  Resolver,
} from './language/resolution-context.ts';
import { resolveBuiltin, resolveGlobal } from './resolvers/config-map-resolvers.ts';
import { resolveFunction } from './resolvers/function-resolver.ts';
import { resolveInput } from './resolvers/input-resolver.ts';
import { resolveResource } from './resolvers/resource-resolver.ts';
import { resolveSnippet } from './resolvers/snippet-resolver.ts';
import { resolveVar } from './resolvers/variable-resolver.ts';

const RESOLVERS: ReadonlyMap<string, Resolver> = new Map([
  ['resource', resolveResource],
  ['builtin', resolveBuiltin],
  ['global', resolveGlobal],
  ['func', resolveFunction],
  ['snippet', resolveSnippet],
  ['input', resolveInput],
  ['var', resolveVar],
]);

export interface PatternResolverOptions {
  /** The live resource the pattern is about; `kind` is added from `kind` when the object lacks it. */
  resource: KubeObject;
  /** The resource's kind, as the request names it (used when the object has no `kind`). */
  kind?: string;
  actionMap: ActionMap;
  userInput?: Readonly<Record<string, string>>;
  services: ResolutionServices;
}

export class PatternResolver implements ResolutionContext {
  readonly resource: KubeObject;
  readonly actionMap: ActionMap;
  readonly userInput: Readonly<Record<string, string>>;
  readonly services: ResolutionServices;
  readonly resolvedVariables = new Map<string, string>();
  readonly visitingVariables = new Set<string>();

  constructor(options: PatternResolverOptions) {
    this.resource =
      options.resource.kind || !options.kind ? options.resource : { ...options.resource, kind: options.kind };
    this.actionMap = options.actionMap;
    this.userInput = options.userInput ?? {};
    this.services = options.services;
  }

  async resolve(pattern: string): Promise<ResolvedPattern> {
    let value = '';
    const unresolvedTokens: string[] = [];
    for (const token of tokenizePattern(pattern)) {
      checkToken(token, pattern);
      if (!token.pattern) {
        value += decodeLiteral(token.value);
        continue;
      }
      const dot = token.value.indexOf('.');
      if (dot < 0) {
        unresolvedTokens.push(tokenText(token));
        value += tokenText(token);
        continue;
      }
      const resolver = RESOLVERS.get(token.value.slice(0, dot));
      if (!resolver) throw patternErrors.noResolver(pattern).withToken(tokenText(token));
      value += await this.dispatch(resolver, token.value.slice(dot + 1), tokenText(token));
    }
    return { value, fullyResolved: unresolvedTokens.length === 0, unresolvedTokens };
  }

  private async dispatch(resolver: Resolver, suffix: string, token: string): Promise<string> {
    try {
      const value = await resolver(suffix, this);
      if (value === null) throw patternErrors.unresolved(suffix);
      return value;
    } catch (error) {
      throw error instanceof PatternError ? error.withToken(token) : error;
    }
  }
}
