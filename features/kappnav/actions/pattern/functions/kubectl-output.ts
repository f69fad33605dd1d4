/**
 * kubectl's printers for the formats `kubectlGet` supports: `-o json` (4-space indent), `-o yaml`,
 * `-o name` (`kind.group/name` lines) and `-o jsonpath=<template>` (kubectl's template syntax: text with
 * `{<path>}` and `{"<literal>"}` actions; results of one action are separated by spaces).
 */
import { JSONPath } from 'jsonpath-plus';
import { stringify } from 'yaml';
import type { ResourceType } from '../../../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../../../pkg/kube/types.ts';
import type { KubectlOutput } from './kubectl-get-args.ts';

function nameLine(type: ResourceType, object: KubeObject): string {
  const resource = type.group ? `${type.kind.toLowerCase()}.${type.group}` : type.kind.toLowerCase();
  return `${resource}/${object.metadata?.name ?? ''}\n`;
}

function printed(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One `{…}` action of a template; `range`/`end` loops are beyond a single evaluation and refused. */
function evaluateAction(action: string, document: unknown): string {
  const trimmed = action.trim();
  const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(trimmed);
  if (literal) return JSON.parse(`"${literal[1]}"`) as string;
  if (/^(range|end)\b/.test(trimmed)) throw new Error(`jsonpath {${trimmed}} loops are not supported`);
  const path = trimmed.startsWith('$')
    ? trimmed
    : `$${trimmed.startsWith('.') || trimmed.startsWith('[') ? '' : '.'}${trimmed}`;
  // A missing path prints nothing, as kubectl does with its default --allow-missing-template-keys.
  const results = JSONPath({ path, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
  return results.map(printed).join(' ');
}

export function renderJsonPathTemplate(template: string, document: unknown): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    const close = template.indexOf('}', open);
    if (close < 0) throw new Error(`unclosed action in jsonpath template ${template}`);
    out += template.slice(i, open) + evaluateAction(template.slice(open + 1, close), document);
    i = close + 1;
  }
  return out;
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
