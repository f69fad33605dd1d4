/**
 * The authorization attributes of a request and the 403 message kube-apiserver writes for them, so a
 * denial from this server reads like one from kube-apiserver itself.
 */
import type { RequestInfo } from '../request/request-info.ts';
import { ApiError } from '../../server/api-error.ts';
import type { AccessAttributes, ResourceAttributes } from './access-review.ts';

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

function denialSentence(userName: string, attributes: AccessAttributes): string {
  if ('nonResource' in attributes)
    return `User ${JSON.stringify(userName)} cannot ${attributes.nonResource.verb} path ${JSON.stringify(attributes.nonResource.path)}`;
  const { verb, group, resource, subresource, namespace } = attributes.resource;
  const what = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace ${JSON.stringify(namespace)}` : 'at the cluster scope';
  return `User ${JSON.stringify(userName)} cannot ${verb} resource ${JSON.stringify(what)} in API group ${JSON.stringify(group)} ${scope}`;
}

/** 403 for `attributes`; `reason` is the authorizer's explanation, appended as kube-apiserver does. */
export function forbidden(
  userName: string,
  attributes: AccessAttributes,
  reason = '',
  subject?: ResourceAttributes,
): ApiError {
  const sentence = denialSentence(userName, attributes) + (reason ? `: ${reason}` : '');
  const target = subject ?? ('resource' in attributes ? attributes.resource : undefined);
  if (!target) return new ApiError(403, 'Forbidden', `forbidden: ${sentence}`);
  const qualified = target.group ? `${target.resource}.${target.group}` : target.resource;
  const name = target.name ? ` ${JSON.stringify(target.name)}` : '';
  return new ApiError(403, 'Forbidden', `${qualified}${name} is forbidden: ${sentence}`, {
    ...(target.name ? { name: target.name } : {}),
    group: target.group,
    kind: target.resource,
  });
}
