/** The authorization attributes of a request (their 403 is `forbidden` of server/delegated-auth). */
import type { RequestInfo } from '../request/request-info.ts';
import type { AccessAttributes } from '../../server/delegated-auth/access-review.ts';

export function requestAttributes(info: RequestInfo): AccessAttributes {
  if (!info.isResourceRequest) return { nonResource: { verb: info.verb, path: info.path } };
  return {
    resource: {
      verb: info.verb,
      group: info.apiGroup,
      version: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    },
  };
}
