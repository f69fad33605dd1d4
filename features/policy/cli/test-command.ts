/**
 * `prismgate test --policy <file|dir> --resource <file|dir> [--expect <file>] [--operation CREATE]
 *  [--output table|json]`: evaluates policies against manifests without a cluster (as `kyverno test` and
 * `gator test` do), prints a table of results, and exits 1 when a result fails (or, with --expect, when
 * one differs from what was expected), 2 when the input cannot be read or a policy is invalid.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { loadManifests } from '../../../pkg/manifests/manifest-files.ts';
import { OPERATIONS, type Operation } from '../engine/match.ts';
import { runOfflineTest, type Expectation, type OfflineReport } from './offline-test.ts';

const USAGE =
  'usage: prismgate test --policy <file|dir> --resource <file|dir> [--expect <file>] [--operation CREATE|UPDATE|DELETE] [--output table|json]';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Rows for a resource: what did not simply pass; a resource every policy passes (or skips) is one row. */
function rowsOf(results: OfflineReport['results'], withExpectations: boolean): string[][] {
  const expectations = (r: OfflineReport['results'][number]) =>
    withExpectations ? [r.expected ?? '', r.ok ? 'ok' : 'MISMATCH'] : [];
  const notable = results.filter((r) => !r.ok || (r.result !== 'pass' && r.result !== 'skip'));
  if (notable.length === 0) {
    const passed = results.filter((r) => r.result === 'pass').length;
    return [
      [
        results[0]!.resource,
        `(${passed} polic${passed === 1 ? 'y' : 'ies'})`,
        passed ? 'pass' : 'skip',
        ...(withExpectations ? ['', 'ok'] : []),
        '',
      ],
    ];
  }
  return notable.flatMap((r) =>
    (r.messages.length > 0 ? r.messages : ['']).map((message, i) =>
      i === 0
        ? [r.resource, r.policy, r.result, ...expectations(r), message]
        : ['', '', '', ...(withExpectations ? ['', ''] : []), message],
    ),
  );
}

export function formatReport(report: OfflineReport, withExpectations: boolean): string {
  const byResource = new Map<string, OfflineReport['results']>();
  for (const result of report.results)
    byResource.set(result.resource, [...(byResource.get(result.resource) ?? []), result]);
  const header = ['RESOURCE', 'POLICY', 'RESULT', ...(withExpectations ? ['EXPECTED', 'OK'] : []), 'MESSAGE'];
  const rows = [...byResource.values()].flatMap((results) => rowsOf(results, withExpectations));
  const count = (kind: string) => report.results.filter((r) => r.result === kind).length;
  const verdict = report.ok
    ? 'OK'
    : withExpectations
      ? `${report.results.filter((r) => !r.ok).length + report.unmet.length} not as expected`
      : 'FAILED';
  return [
    ...report.invalidPolicies.map((p) => `invalid policy: ${p}`),
    table([header, ...rows]),
    ...report.unmet.map((e) => `expected but not found: ${e.resource} ${e.policy} ${e.result}`),
    `results: ${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('error')} error, ${count('skip')} skip; ${verdict}`,
  ].join('\n');
}

/** Runs the command on `argv`; answers the exit code. */
export function testCommand(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        policy: { type: 'string', multiple: true },
        resource: { type: 'string', multiple: true },
        expect: { type: 'string' },
        operation: { type: 'string', default: 'CREATE' },
        output: { type: 'string', default: 'table' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const operation = values.operation as Operation;
  if (
    !values.policy?.length ||
    !values.resource?.length ||
    !OPERATIONS.includes(operation) ||
    !['table', 'json'].includes(values.output)
  ) {
    console.error(USAGE);
    return 2;
  }
  const policies = loadManifests(values.policy);
  const resources = loadManifests(values.resource);
  let expectations: Expectation[] | undefined;
  try {
    expectations = values.expect ? (parse(readFileSync(values.expect, 'utf8')) as Expectation[]) : undefined;
  } catch (error) {
    console.error(`--expect ${values.expect}: ${(error as Error).message}`);
    return 2;
  }
  const errors = [...policies.errors, ...resources.errors];
  if (errors.length > 0) {
    for (const error of errors) console.error(error);
    return 2;
  }
  const report = runOfflineTest({
    policies: policies.objects,
    resources: resources.objects,
    operation,
    expectations,
  });
  out(
    values.output === 'json'
      ? JSON.stringify(report, null, 2)
      : formatReport(report, expectations !== undefined),
  );
  if (report.invalidPolicies.length > 0) return 2;
  return report.ok ? 0 : 1;
}

export async function main(): Promise<void> {
  process.exitCode = testCommand(process.argv.slice(2));
}
