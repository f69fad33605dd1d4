/** The features a prismgate process runs by default. */
import { KappnavStatusFeature } from '../features/kappnav/feature.ts';
import { policyFeature } from '../features/policy/feature.ts';
import { VimanaFeature } from '../features/vimana/feature.ts';
import type { Feature } from '../features/feature.ts';

export function defaultFeatures(): Feature[] {
  return [new VimanaFeature(), new KappnavStatusFeature(), policyFeature()];
}
