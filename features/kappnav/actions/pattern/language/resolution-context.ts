/**
 * What a pattern is resolved against (kappnav-prism.md §3.6): the resource, its merged action map
 * (snippets, variables), validated user input, and the services the resolvers read through.
 */
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import type { ScriptRunner } from '../../../../../pkg/sandbox/script-sandbox.ts';
import type { ConfigMapSource } from '../../../kam/config-map-source.ts';
import type { ActionMap } from '../../action-map.ts';
import type { ResourceReader } from '../../resource-reader.ts';

export interface ResolutionServices {
  /** Reads `builtin` and global maps (`${builtin.*}`, `${global.*}`) from the kappnav namespace. */
  configMaps: ConfigMapSource;
  resources: ResourceReader;
  scripts: ScriptRunner;
  /** The kappnav namespace (KAPPNAV_CONFIG_NAMESPACE): builtin and global maps, kubectlGet's default namespace. */
  kappnavNamespace: string;
  /** Time budget of one snippet call; the sandbox's default when unset. */
  snippetTimeoutMs?: number;
}

export interface ResolvedPattern {
  value: string;
  /** False when a token without a resolver prefix (e.g. `${noprefix}`) was passed through verbatim. */
  fullyResolved: boolean;
  /** Those passed-through tokens, as written, so callers can name them. */
  unresolvedTokens: string[];
}

export interface ResolutionContext {
  /** The live resource, with `kind` set. */
  readonly resource: KubeObject;
  readonly actionMap: ActionMap;
  /** Validated user input (§5.2) behind `${input.*}`; empty outside command execution. */
  readonly userInput: Readonly<Record<string, string>>;
  readonly services: ResolutionServices;
  /** Variables resolved so far in this context (`${var.*}` resolves each once). */
  readonly resolvedVariables: Map<string, string>;
  /** Variables being resolved right now, innermost last, for cycle detection. */
  readonly visitingVariables: Set<string>;
  resolve(pattern: string): Promise<ResolvedPattern>;
}

/** A resolver for one prefix: the value of `suffix`, or null when it has none ("cannot resolve <suffix>"). */
export type Resolver = (suffix: string, context: ResolutionContext) => Promise<string | null>;
