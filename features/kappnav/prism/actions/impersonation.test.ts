import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../../pkg/kube/kube-client.ts';
import { ApiError } from '../../../../server/api-error.ts';
import { impersonationDenial, impersonationHeaders } from './impersonation.ts';

describe('impersonating the requesting user (issue 15, finding 2)', () => {
  it('carries the name, uid, groups and extras of a user, an extra key percent-encoded', () => {
    expect(
      impersonationHeaders({
        name: 'dev-user',
        uid: 'u-1',
        groups: ['prism-developers', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=ab'] },
      }),
    ).toEqual({
      'Impersonate-User': 'dev-user',
      'Impersonate-Uid': 'u-1',
      'Impersonate-Group': ['prism-developers', 'system:authenticated'],
      'Impersonate-Extra-authentication.kubernetes.io%2Fcredential-id': ['X509SHA256=ab'],
    });
  });

  it('names a ServiceAccount alone: kube-apiserver gives it its groups', () => {
    expect(
      impersonationHeaders({
        name: 'system:serviceaccount:dev:ui',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:dev'],
        extra: { 'authentication.kubernetes.io/pod-name': ['ui-1'] },
      }),
    ).toEqual({ 'Impersonate-User': 'system:serviceaccount:dev:ui' });
  });

  it("passes the user's own denial on, and says what is missing when prismgate may not act as users", () => {
    const user = { name: 'dev-user', groups: [], extra: {} };
    const status = (kind: string, message: string) =>
      new KubeApiError(
        403,
        {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          code: 403,
          message,
          details: { kind },
        },
        message,
      );
    const own = impersonationDenial(status('jobs', 'jobs.batch is forbidden: …'), user, 'running', 'dev');
    expect(own).toEqual(new ApiError(403, 'Forbidden', 'jobs.batch is forbidden: …'));
    const prismgate = impersonationDenial(
      status('users', 'cannot impersonate'),
      user,
      'running',
      'dev',
    ) as ApiError;
    expect(prismgate.code).toBe(403);
    expect(prismgate.message).toContain('prismgate:untrusted-commands');
    const other = new Error('boom');
    expect(impersonationDenial(other, user, 'running', 'dev')).toBe(other);
  });
});
