/** The authenticated user of a request, as kube-apiserver's user.Info describes it. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** Members are allowed everything without asking (k8s.io/apiserver's privileged-group authorizer). */
const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';

/** The user of requests that presented no credentials; only the health endpoints accept it. */
export const ANONYMOUS: UserInfo = Object.freeze({
  name: 'system:anonymous',
  groups: ['system:unauthenticated'],
  extra: {},
});

export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}
