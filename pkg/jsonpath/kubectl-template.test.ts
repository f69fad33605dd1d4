import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubectlTemplateError,
  MAX_TEMPLATE_CHARS,
  parseKubectlTemplate,
  renderKubectlTemplate,
} from './kubectl-template.ts';
import { JsonPathLimitExceeded } from './work-meter.ts';

const render = (template: string, document: unknown) =>
  renderKubectlTemplate(parseKubectlTemplate(template), document);

/**
 * An object for kubectl to print. Maps that templates iterate have one key (kubectl v1.32 walks the
 * entries of a map in Go's random order), and it has no `items` (kubectl would read it as a List).
 */
const document = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 3,
    ratio: 0.25,
    big: 1234567.5,
    tiny: 0.00001,
    enabled: true,
    nothing: null,
    text: '<a&b> é',
    containers: [
      {
        name: 'app',
        image: 'app:1',
        ports: [{ port: 80 }, { port: 443 }],
        env: [{ name: 'A', value: '1' }],
      },
      { name: 'side', image: 'side:2', ports: [] },
    ],
    tags: ['a', 'b', 'c'],
    matrix: [[1, 2], [3]],
    mixed: [1, 2.5, 's', true, null, { k: 1 }],
  },
};

const TEMPLATES = [
  '{.metadata.name}',
  '{.kind}{.apiVersion}',
  'name: {.metadata.name}, tags: {.spec.tags[*]}.',
  '{.spec.containers[*].name}',
  '{.spec.containers[0].image}',
  '{.spec.containers[-1].name}',
  '{.spec.containers[5].name}',
  '{.spec.tags[1:]}',
  '{.spec.tags[:2]}',
  '{.spec.tags[::2]}',
  '{.spec.tags[-2:]}',
  '{.spec.tags[0:0]}',
  '{.spec.tags[2:1]}',
  '{.spec.tags[0:9]}',
  '{.spec.tags[::0]}',
  '{.spec.tags[-9:]}',
  '{.spec.tags[0,2]}',
  '{.spec.tags[]}',
  "{.spec.containers[0]['name','image']}",
  '{.spec.containers[?(@.name=="side")].image}',
  "{.spec.containers[?(@.name!='side')].image}",
  '{.spec.containers[?( @.name == "app" )].image}',
  '{.spec.containers[?(@.ports)].name}',
  '{.spec.containers[?(@.env)].name}',
  '{.spec.containers[?(@.ports[0].port==80)].name}',
  '{.spec.containers[*].ports[?(@.port>100)].port}',
  '{.spec.containers[*].ports[?(@.port<=80)].port}',
  '{.spec.containers[?(@.name>"b")].name}',
  '{.spec.containers[?(@.name==1)].name}',
  '{.spec.mixed[?(@==1)]}',
  '{.spec.tags[?(@=="b")]}',
  '{.spec.containers[?(@.ports[*].port==80)].name}',
  '{.spec[?(@.x)]}',
  '{.spec.mixed[*]}',
  '{.spec.matrix[*][0]}',
  '{.spec.mixed[*][0]}',
  '{.spec.matrix}',
  '{.spec}',
  '{.spec.replicas} {.spec.ratio} {.spec.big} {.spec.tiny} {.spec.enabled} {.spec.nothing} {.spec.text}',
  '{..port}',
  '{.spec..image}',
  '{.spec.containers..port}',
  '{range .spec.containers[*]}{.name}={.image}{"\\n"}{end}',
  '{range .spec.containers[*]}[{range .ports[*]}{.port},{end}]{end}',
  '{range .spec.mixed[*]}<{@}>{end}',
  '{range .spec.tags[*]}{$};{end}',
  '{range .spec.tags[*]}{@}',
  '{range .spec.containers[*]}{.name}{end} after {.kind}',
  '{.metadata.labels.app\\.kubernetes\\.io/name}',
  "{.metadata.labels['app.kubernetes.io/name']}",
  '{.nope}{.nope.deeper}{.spec.containers[0].nope}|',
  '{.metadata.name[0]}',
  '{"literal"} {\'single\'} {3} {2.5} {true}',
  '{"tab\\there"}{"\\u00e9"}',
  '{.spec.containers[ 0 ]}',
  '{end}',
  '{.spec.tags[*]}{"\\t"}{.spec.replicas}',
  '{@.metadata.name} {$.metadata.name} {.metadata .name}',
  '{.spec.replicas 3}',
  '{.spec.containers[*].ports[*]}',
  '{.spec..*}',
  '{.metadata.name,kind}',
  '{.spec.tags[x]}',
  '{foo}',
  '{.spec.tags[?(@.x]}',
  '{"unterminated}',
  '{.spec.containers[?(@.name=~"a")].name}',
  '{}',
  '{.}',
  'no actions at all',
  '} stray {.kind}',
];

const run = promisify(execFile);
let directory: string;
let file: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'kubectl-template-'));
  file = path.join(directory, 'object.json');
  await writeFile(file, JSON.stringify(document));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/**
 * What kubectl prints for the template, or that it fails. `kubectl label --local` prints the object it
 * read with the given printer, without a cluster; removing a label it does not have (`z-`) leaves the
 * object as it is.
 */
async function kubectlPrints(template: string): Promise<{ output: string } | { error: true }> {
  try {
    const { stdout } = await run('kubectl', [
      'label',
      '--local',
      '-f',
      file,
      'z-',
      '-o',
      `jsonpath=${template}`,
    ]);
    return { output: stdout };
  } catch {
    return { error: true };
  }
}

function ours(template: string): { output: string } | { error: true } {
  try {
    return { output: render(template, document) };
  } catch (error) {
    if (error instanceof KubectlTemplateError) return { error: true };
    throw error;
  }
}

describe('kubectl jsonpath templates, held to kubectl itself (differential)', () => {
  it.each(TEMPLATES)('%s prints what kubectl prints', async (template) => {
    expect(ours(template)).toEqual(await kubectlPrints(template));
  });
});

describe('kubectl jsonpath templates', () => {
  it('says why a template does not parse or run, as kubectl does', () => {
    expect(() => render('{.a', document)).toThrow('error parsing jsonpath {.a, unclosed action');
    expect(() => render('{.spec.tags[9]}', document)).toThrow(
      'error executing jsonpath "{.spec.tags[9]}": array index out of bounds: index 9, length 3',
    );
    expect(() => render('{.spec.mixed[?(@==1)]}', document)).toThrow('incompatible types for comparison');
    expect(() => render('{.x[?(@.a.match(/^(a+)+$/))]}', document)).toThrow(
      'error parsing jsonpath {.x[?(@.a.match(/^(a+)+$/))]}, unclosed array expect ]',
    );
  });

  it('refuses templates beyond their length', () => {
    expect(() => parseKubectlTemplate(`{.a}${'x'.repeat(MAX_TEMPLATE_CHARS)}`)).toThrow(
      `the template is longer than ${MAX_TEMPLATE_CHARS} characters`,
    );
  });

  it('runs the body of a range without {end} once more on the enclosing value, as kubectl does', () => {
    expect(render('{range .spec.containers[*]}{.name};', { ...document, name: 'top' })).toBe('app;side;top;');
  });

  it('stops nested ranges that would print too much at the output limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep, pad: 'p'.repeat(100) };
    const template = '{range ..}{range ..}{@}{end}{end}';
    expect(() =>
      renderKubectlTemplate(
        parseKubectlTemplate(template),
        deep,
        { steps: 10_000_000, results: 10_000 },
        100_000,
      ),
    ).toThrow(new JsonPathLimitExceeded('characters', 100_000, template));
  });

  it('stops nested ranges that would walk too much at the step limit', () => {
    const template = '{range .items[*]}{range .metadata}{..name}{.name}{end}{end}';
    const big = { items: Array.from({ length: 5000 }, (_, i) => ({ metadata: { name: `n${i}` } })) };
    expect(() =>
      renderKubectlTemplate(parseKubectlTemplate(template), big, { steps: 20_000, results: 10_000 }),
    ).toThrow(
      'JSONPath {range .items[*]}{range .metadata}{..name}{.name}{end}{end} needs more than 20000 steps',
    );
  });
});
