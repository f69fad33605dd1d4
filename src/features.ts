/** The features a prismgate process runs by default. */
import { VimanaFeature } from '../webhook/vimana/feature.ts';
import type { Feature } from './feature.ts';

export function defaultFeatures(): Feature[] {
  return [new VimanaFeature()];
}
