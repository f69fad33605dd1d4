/** A `${func.*}` function (kappnav-prism.md §3.6(f)). */
import type { ResolutionContext } from '../language/resolution-context.ts';

export interface BuiltinFunction {
  /** The exact, case-sensitive name used in patterns. */
  name: string;
  acceptsParameterCount(count: number): boolean;
  /** The result, or null when the function has none for this context ("cannot resolve …"). */
  invoke(parameters: string[], context: ResolutionContext): Promise<string | null>;
}
