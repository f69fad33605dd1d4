/** The features a prismgate process runs by default. */
import { KappnavFeature } from '../features/kappnav/feature.ts';
import { policyFeature } from '../features/policy/feature.ts';
import { VimanaFeature } from '../features/vimana/feature.ts';
import type { Feature } from '../features/feature.ts';

/** `kappnav` is passed in by a caller that also serves the prism API over its runtime. */
export function defaultFeatures(kappnav = new KappnavFeature()): Feature[] {
  return [new VimanaFeature(), kappnav, policyFeature()];
}
