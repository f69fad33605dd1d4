/**
 * Requests prismgate makes as the requesting user (user impersonation), for the commands of maps that
 * are not trusted (commands/command-trust.ts): kube-apiserver authorizes the request as that user, so
 * Kubernetes RBAC decides. prismgate holds constrained impersonation only (KEP-5284,
 * manifests/deploy/rbac.yaml): it may act as any user, but only to create and delete Jobs, and only in
 * the namespaces whose administrator bound `prismgate:untrusted-commands` to it.
 *
 * A ServiceAccount is impersonated by its name alone: kube-apiserver gives it its groups, and extras
 * bound to its token (pod name, credential id) do not carry over to another request.
 */
import { KubeApiError } from '../../../../pkg/kube/kube-client.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import { ApiError } from '../../../../server/api-error.ts';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** The impersonation headers of `user` (an extra's key is percent-encoded, as header names require). */
export function impersonationHeaders(user: User): Record<string, string | string[]> {
  if (user.name.startsWith(SERVICE_ACCOUNT_PREFIX)) return { 'Impersonate-User': user.name };
  const headers: Record<string, string | string[]> = { 'Impersonate-User': user.name };
  if (user.uid) headers['Impersonate-Uid'] = user.uid;
  if (user.groups.length > 0) headers['Impersonate-Group'] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra))
    headers[`Impersonate-Extra-${encodeURIComponent(key.toLowerCase())}`] = [...values];
  return headers;
}

/**
 * What a refused impersonated request answers: the user's own denial as kube-apiserver worded it (the
 * user may not create Jobs there), or, when prismgate itself may not act as users there, a 403 saying so.
 */
export function impersonationDenial(error: unknown, user: User, what: string, namespace: string): unknown {
  if (!(error instanceof KubeApiError) || error.code !== 403) return error;
  if (error.status?.details?.kind === 'jobs')
    return new ApiError(403, 'Forbidden', error.status.message ?? error.message);
  return new ApiError(
    403,
    'Forbidden',
    `${what} for user "${user.name}" in namespace "${namespace}" is forbidden: it comes from a map that is not ` +
      `trusted, so it runs as the requesting user, and the administrator of namespace "${namespace}" has not let ` +
      `prismgate act as users there (ClusterRole prismgate:untrusted-commands, bound to prismgate's ServiceAccount ` +
      `in that namespace): ${error.status?.message ?? error.message}`,
  );
}
