/** The features a prismgate process runs by default. */
import type { Feature } from './feature.ts';

export function defaultFeatures(): Feature[] {
  return [];
}
