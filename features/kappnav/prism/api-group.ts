/** The API group and version the prism API serves. */
import type { GroupVersion } from '../../../aggregated-api/resource/group-version.ts';

export const PRISM_GROUP = 'prism.kappnav.io';
export const PRISM_VERSION = 'v1';
export const PRISM_GROUP_VERSION = `${PRISM_GROUP}/${PRISM_VERSION}`;
/** Every served path of the group version starts here. */
export const PRISM_ROOT = `/apis/${PRISM_GROUP_VERSION}`;
/** What the generic machinery serves: this group version. */
export const PRISM: GroupVersion = { group: PRISM_GROUP, version: PRISM_VERSION };
