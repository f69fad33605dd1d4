/**
 * Resolving an action pattern against a resource (kappnav-prism.md §1.4.3, §3.6): the whole language,
 * against the resource's merged action map (its snippets and variables), with optional input for
 * `${input.*}` (the design's optional body, which the reference never read). A token without a resolver
 * prefix, which the reference handed back verbatim, is refused: a resolved pattern is a URL the UI opens,
 * where `${noprefix}` is never what was meant.
 */
import { PatternResolver } from '../../actions/pattern/pattern-resolver.ts';
import { patternErrors } from '../../actions/pattern/language/pattern-error.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import {
  asUser,
  readNamedResource,
  type ActionDependencies,
  type ResourceReference,
} from './action-context.ts';

export interface ResolutionRequest {
  resource: ResourceReference;
  pattern: string;
  input: Readonly<Record<string, string>>;
}

export class PatternResolution {
  constructor(private readonly deps: ActionDependencies) {}

  /** The resolved text; throws TargetError, PatternError, or a 403 ApiError. */
  async resolve(user: User, request: ResolutionRequest): Promise<string> {
    const { type, object } = await readNamedResource(this.deps, user, request.resource, 'spec.resource');
    const actionMap = this.deps.model.mapsOf(object).actions.map;
    return asUser(this.deps, user, async (services) => {
      const resolver = new PatternResolver({
        resource: object,
        kind: type.kind,
        actionMap,
        userInput: request.input,
        services,
      });
      const resolved = await resolver.resolve(request.pattern);
      if (!resolved.fullyResolved) throw patternErrors.unprefixed(resolved.unresolvedTokens);
      return resolved.value;
    });
  }
}
