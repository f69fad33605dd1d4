/** The API group and version this server serves. */
export const PRISM_GROUP = 'prism.kappnav.io';
export const PRISM_VERSION = 'v1';
export const PRISM_GROUP_VERSION = `${PRISM_GROUP}/${PRISM_VERSION}`;
/** Every served path of the group version starts here. */
export const PRISM_ROOT = `/apis/${PRISM_GROUP_VERSION}`;
