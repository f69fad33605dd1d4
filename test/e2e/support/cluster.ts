/** What e2e tests use to reach the real control plane: kubectl, the JS client, fresh namespaces. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig, KubernetesObjectApi, CoreV1Api } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { stringify } from 'yaml';
export { eventually } from '../../support/eventually.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** kubeconfig file; the administrator's by default. */
  kubeconfig?: string;
  /** Text for standard input (`-f -`); objects are serialised as a YAML stream. */
  input?: string | object | object[];
}

function toYamlStream(input: string | object | object[]): string {
  if (typeof input === 'string') return input;
  return (Array.isArray(input) ? input : [input]).map((doc) => stringify(doc)).join('---\n');
}

/** Runs kubectl; never throws for a non-zero exit so tests can assert on rejections. */
export function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const kubeconfig = options.kubeconfig ?? inject('kubeconfig');
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { maxBuffer: 64 << 20, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(toYamlStream(options.input));
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(args: string[], options: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

export function kubeConfig(file = inject('kubeconfig')): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

export function objectApi(file?: string): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(kubeConfig(file));
}

export function coreApi(file?: string): CoreV1Api {
  return kubeConfig(file).makeApiClient(CoreV1Api);
}

/** A namespace unique to this run, created now. */
export async function freshNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kubectlOk(['create', 'namespace', name]);
  return name;
}

/** The cluster's PKI files, for tests that play the front proxy or sign certificates. */
export function pkiFile(name: string): string {
  return readFileSync(path.join(inject('pkiDir'), name), 'utf8');
}

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
