/**
 * The `kubectl get` argument vector that `kubectlGet(…)` receives, read into one get or list request
 * (kappnav-prism.md §3.6(f)). Only what a get or list through the kube client can serve is accepted;
 * everything else is refused with the reason, instead of running a kubectl binary.
 */

export type KubectlOutput = { format: 'json' | 'yaml' | 'name' } | { format: 'jsonpath'; template: string };

export interface KubectlGetRequest {
  /** The resource type argument, e.g. `pods`, `Route`, `deployments.apps`. */
  type: string;
  /** Names to get; empty lists by selector. */
  names: string[];
  /** True when exactly one object was asked for by name, so kubectl prints it rather than a List. */
  single: boolean;
  namespace: string | undefined;
  allNamespaces: boolean;
  labelSelector: string | undefined;
  output: KubectlOutput;
}

export type ParsedKubectlGet = { ok: true; request: KubectlGetRequest } | { ok: false; reason: string };

/** Flags that take a value: every spelling → what it sets. */
const VALUE_FLAGS: Record<string, 'namespace' | 'selector' | 'output'> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-l': 'selector',
  '--selector': 'selector',
  '-o': 'output',
  '--output': 'output',
};
const ALL_NAMESPACES_FLAGS = new Set(['-A', '--all-namespaces']);
const SUPPORTED_OUTPUT = 'use -o json, -o yaml, -o name or -o jsonpath=<template>';

function parseOutput(value: string | undefined): KubectlOutput | string {
  if (value === undefined) return `kubectl's table output is not supported; ${SUPPORTED_OUTPUT}`;
  if (value === 'json' || value === 'yaml' || value === 'name') return { format: value };
  if (value.startsWith('jsonpath=') && value.length > 'jsonpath='.length)
    return { format: 'jsonpath', template: value.slice('jsonpath='.length) };
  return `the output format "${value}" is not supported; ${SUPPORTED_OUTPUT}`;
}

/** Splits `-n=x`, `-nx`, `--namespace=x` into flag and inline value; `-n`, `--namespace` have none. */
function splitFlag(arg: string): { flag: string; inline: string | undefined } {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq < 0 ? { flag: arg, inline: undefined } : { flag: arg.slice(0, eq), inline: arg.slice(eq + 1) };
  }
  const rest = arg.slice(2);
  return { flag: arg.slice(0, 2), inline: rest === '' ? undefined : rest.replace(/^=/, '') };
}

export function parseKubectlGetArgs(args: readonly string[]): ParsedKubectlGet {
  const fail = (reason: string): ParsedKubectlGet => ({ ok: false, reason });
  const values: Partial<Record<'namespace' | 'selector' | 'output', string>> = {};
  const positional: string[] = [];
  let allNamespaces = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const { flag, inline } = splitFlag(arg);
    if (ALL_NAMESPACES_FLAGS.has(flag)) {
      if (inline !== undefined && inline !== 'true') return fail(`the flag ${arg} is not supported`);
      allNamespaces = true;
      continue;
    }
    const setting = Object.hasOwn(VALUE_FLAGS, flag) ? VALUE_FLAGS[flag] : undefined;
    if (!setting) return fail(`the flag ${arg} is not supported`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '') return fail(`the flag ${flag} needs a value`);
    values[setting] = value;
  }

  const output = parseOutput(values.output);
  if (typeof output === 'string') return fail(output);
  const [first, ...rest] = positional;
  if (first === undefined || first === '') return fail('no resource type was given');

  let type: string;
  let names: string[];
  if (first.includes('/')) {
    // TYPE/NAME form: every argument names one object, all of one type.
    const pairs = positional.map((arg) => {
      const slash = arg.indexOf('/');
      return slash > 0 ? { type: arg.slice(0, slash), name: arg.slice(slash + 1) } : undefined;
    });
    type = pairs[0]?.type ?? '';
    if (pairs.some((pair) => !pair || !pair.name || pair.type !== type))
      return fail('TYPE/NAME arguments must all name objects of one resource type');
    names = pairs.map((pair) => pair!.name);
  } else {
    type = first;
    names = rest;
  }
  if (type.includes(',')) return fail('several resource types at once are not supported');
  if (names.length > 0 && values.selector !== undefined)
    return fail('a label selector cannot be combined with resource names');
  if (names.length > 0 && allNamespaces)
    return fail('a resource cannot be retrieved by name across all namespaces');
  return {
    ok: true,
    request: {
      type,
      names,
      single: names.length === 1,
      namespace: values.namespace,
      allNamespaces,
      labelSelector: values.selector,
      output,
    },
  };
}
