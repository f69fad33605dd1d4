/**
 * The authenticated user of a request, as k8s.io/apiserver's user.Info describes it (the wire form in
 * reviews is authentication.k8s.io/v1 UserInfo, with `username`).
 */
export interface User {
  name: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** Members are allowed everything without asking (k8s.io/apiserver's privileged-group authorizer). */
const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';

/** The user of requests that presented no credentials; only the health endpoints accept it. */
export const ANONYMOUS: User = Object.freeze({
  name: 'system:anonymous',
  groups: ['system:unauthenticated'],
  extra: {},
});

export function isPrivileged(user: User): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}
