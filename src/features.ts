/** The features a prismgate process runs by default. */
import { KappnavStatusFeature } from '../webhook/kappnav/feature.ts';
import { policyFeature } from '../webhook/policy/policy-feature.ts';
import { VimanaFeature } from '../webhook/vimana/feature.ts';
import type { Feature } from './feature.ts';

export function defaultFeatures(): Feature[] {
  return [new VimanaFeature(), new KappnavStatusFeature(), policyFeature()];
}
