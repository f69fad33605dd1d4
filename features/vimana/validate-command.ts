/**
 * `prismgate validate -f <file|dir> [-f …] [-R] [-n namespace] [--kubeconfig file] [-o text|json]`:
 * every Vimana rule over a whole set of manifests (validate-set.ts), for CI, where
 * `kubectl apply --dry-run=server -f` cannot check a manifest whose parents are in the same set.
 *
 * Offline unless `--kubeconfig` is given: then the cluster's current Vimana objects (every namespace, for
 * R8's cluster-wide ids) and TLS Secrets are read first, and the set is judged as changes to them. A
 * KUBECONFIG in the environment is not enough, so a CI job never reaches a cluster by accident.
 *
 * Output as kubectl's: one line per object on standard output, `Warning: …` and errors on standard
 * error; exit code 0 when every object passes (warnings allowed), 1 otherwise (violations, unreadable
 * input, a cluster that cannot be read, bad arguments), as kubectl exits 1 on any error.
 */
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../pkg/kube/kube-client.ts';
import { collectionPath, CORE_TYPES } from '../../pkg/kube/resource-type.ts';
import type { KubeList, KubeObject } from '../../pkg/kube/types.ts';
import { loadManifests } from '../../pkg/manifests/manifest-files.ts';
import { VIMANA_RESOURCES } from './resource-types.ts';
import { VIMANA_KINDS, type ObjectRef } from './types.ts';
import { validateSet, type ClusterState, type ObjectVerdict, type SetReport } from './validate-set.ts';

const USAGE =
  'usage: prismgate validate -f <file|dir> [-f <file|dir> …] [-R] [-n <namespace>] [--kubeconfig <file>] [-o text|json]';

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const CONSOLE: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Every page of a list. */
async function listAll(client: KubeClient, path: string, fieldSelector?: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let continueToken: string | undefined;
  do {
    const page = await client.request<KubeList>('GET', path, {
      query: { limit: 500, continue: continueToken, fieldSelector },
    });
    items.push(...page.items);
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
  return items;
}

/** The cluster's Vimana objects and TLS Secrets; Secrets that may not be read only cost R12 its cluster half. */
export async function readCluster(kubeconfig: string, warn: (line: string) => void): Promise<ClusterState> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const client = new KubeClient(config);
  try {
    const objects: KubeObject[] = [];
    for (const kind of VIMANA_KINDS) {
      const items = await listAll(client, collectionPath(VIMANA_RESOURCES[kind]));
      objects.push(
        ...items.map((item) => ({
          ...item,
          apiVersion: item.apiVersion ?? 'api.vimana.host/v1alpha1',
          kind,
        })),
      );
    }
    let tlsSecrets: ObjectRef[] = [];
    try {
      const secrets = await listAll(client, collectionPath(CORE_TYPES.secrets), 'type=kubernetes.io/tls');
      tlsSecrets = secrets.map((secret) => ({
        namespace: secret.metadata?.namespace ?? '',
        name: secret.metadata?.name ?? '',
      }));
    } catch (error) {
      warn(
        `Warning: the cluster's TLS Secrets could not be read (${(error as Error).message}); R12 sees only the set's`,
      );
    }
    return { objects, tlsSecrets };
  } finally {
    client.close();
  }
}

function resourceOf(verdict: ObjectVerdict): string {
  return `${verdict.kind.toLowerCase()}.api.vimana.host/${verdict.name}`;
}

/** kubectl's shape: `<resource>/<name> valid`, warnings, and `error when validating "<file>": …`. */
export function printReport(report: SetReport, output: Output): void {
  for (const error of report.errors) output.err(`error: ${error}`);
  for (const verdict of report.verdicts) {
    for (const warning of verdict.warnings) output.err(`Warning: ${warning}`);
    const { denials } = verdict;
    if (denials.length === 0) {
      output.out(`${resourceOf(verdict)} valid (${verdict.operation === 'UPDATE' ? 'update' : 'create'})`);
      continue;
    }
    const what = `${verdict.kind.toLowerCase()}.api.vimana.host "${verdict.name}" in namespace "${verdict.namespace}"`;
    output.err(
      denials.length === 1
        ? `error when validating "${verdict.file}": ${what} is invalid: ${denials[0]}`
        : [
            `error when validating "${verdict.file}": ${what} is invalid: ${denials.length} violations:`,
            ...denials.map((d) => `- ${d}`),
          ].join('\n'),
    );
  }
  const invalid = report.verdicts.filter((verdict) => verdict.denials.length > 0).length;
  const skipped = report.skipped.length;
  output.err(
    `${report.verdicts.length} Vimana object${report.verdicts.length === 1 ? '' : 's'} checked, ${invalid} invalid` +
      (skipped > 0 ? `; ${skipped} other document${skipped === 1 ? '' : 's'} not checked` : ''),
  );
}

/** Runs the command on `argv`; answers the exit code. */
export async function validateCommand(argv: readonly string[], output: Output = CONSOLE): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        recursive: { type: 'boolean', short: 'R', default: false },
        namespace: { type: 'string', short: 'n', default: 'default' },
        kubeconfig: { type: 'string' },
        output: { type: 'string', short: 'o', default: 'text' },
      },
    }));
  } catch (error) {
    output.err(`error: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (!values.filename?.length || !['text', 'json'].includes(values.output)) {
    output.err(
      `error: ${values.filename?.length ? `unknown output format ${values.output}` : 'must specify one of -f'}\n${USAGE}`,
    );
    return 1;
  }
  const loaded = loadManifests(values.filename, { recursive: values.recursive });
  let cluster: ClusterState | undefined;
  if (values.kubeconfig) {
    try {
      cluster = await readCluster(values.kubeconfig, output.err);
    } catch (error) {
      output.err(`error: the cluster of ${values.kubeconfig} could not be read: ${(error as Error).message}`);
      return 1;
    }
  }
  const report = validateSet(loaded.objects, { namespace: values.namespace, cluster });
  report.errors.unshift(...loaded.errors);
  if (values.output === 'json') output.out(JSON.stringify(report, null, 2));
  else printReport(report, output);
  const ok = report.errors.length === 0 && report.verdicts.every((verdict) => verdict.denials.length === 0);
  return ok ? 0 : 1;
}

export async function main(): Promise<void> {
  process.exitCode = await validateCommand(process.argv.slice(2));
}
