/**
 * kubectl's printers for the formats `kubectlGet` supports: `-o json` (4-space indent), `-o yaml`,
 * `-o name` (`kind.group/name` lines) and `-o jsonpath=<template>`, kubectl's template language with
 * `{range}`/`{end}`, on prismgate's one JSONPath (pkg/jsonpath/kubectl-template.ts). The template comes
 * from an action map or from the user's input (`${input.t}`), so it is bounded there by construction: a
 * template that needs more than its work or output limits fails with a JsonPathLimitExceeded, which
 * kubectlGet answers as a pattern error (422) like any other template kubectl would refuse.
 */
import { stringify } from 'yaml';
import { parseKubectlTemplate, renderKubectlTemplate } from '../../../../../pkg/jsonpath/kubectl-template.ts';
import type { ResourceType } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import type { KubectlOutput } from './kubectl-get-args.ts';

function nameLine(type: ResourceType, object: KubeObject): string {
  const resource = type.group ? `${type.kind.toLowerCase()}.${type.group}` : type.kind.toLowerCase();
  return `${resource}/${object.metadata?.name ?? ''}\n`;
}

/** What `kubectl get -o jsonpath=<template>` prints for `document`; throws with kubectl's reason. */
export function renderJsonPathTemplate(template: string, document: unknown): string {
  return renderKubectlTemplate(parseKubectlTemplate(template), document);
}

/** kubectl's text for one object (`single`) or a List of objects. */
export function renderKubectlOutput(
  output: KubectlOutput,
  type: ResourceType,
  objects: KubeObject[],
  single: boolean,
): string {
  if (output.format === 'name') return objects.map((object) => nameLine(type, object)).join('');
  const document = single
    ? objects[0]
    : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
  switch (output.format) {
    case 'json':
      return `${JSON.stringify(document, null, 4)}\n`;
    case 'yaml':
      return stringify(document);
    case 'jsonpath':
      return renderJsonPathTemplate(output.template, document);
  }
}
