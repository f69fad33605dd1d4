/**
 * The group version a server serves, given by the API that uses this machinery (k8s.io/apiserver's
 * APIGroupInfo, for one version): discovery, OpenAPI, the routes, the apiVersion of lists and watch events
 * and the group named in errors all derive from it, so this folder names no group of its own.
 */
export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/** `group/version`, the apiVersion of the group's objects. */
export function apiVersionOf({ group, version }: GroupVersion): string {
  return `${group}/${version}`;
}

/** `/apis/group/version`, under which every path of the group version is served. */
export function rootPathOf(groupVersion: GroupVersion): string {
  return `/apis/${apiVersionOf(groupVersion)}`;
}
