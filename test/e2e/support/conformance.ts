/**
 * The differential conformance harness: the same request (or kubectl command) sent to a prism resource and
 * to a reference resource that kube-apiserver itself serves (a CRD, a built-in, a create-only built-in),
 * each answer reduced to what clients act on (status code, the Status `reason`, `details` and message,
 * the headers clients read, kubectl's output), with each side's own names (group, resource, kind,
 * object names) replaced by placeholders, so that the two answers can be compared for equality.
 */
import { execFile } from 'node:child_process';
import { expect, inject } from 'vitest';
import { stringify } from 'yaml';
import { jsonOf, send, type Endpoint, type RawRequest, type RawResponse } from './raw-http.ts';

/** A resource as both sides name it. */
export interface Subject {
  /** '' for the core group. */
  group: string;
  version: string;
  resource: string;
  singular: string;
  kind: string;
  /** The namespace of its objects (namespaced resources). */
  namespace?: string;
  /** Names of objects the cases use; replaced by `<name>` (longest first). */
  names: readonly string[];
}

export function groupVersion(subject: Subject): string {
  return subject.group ? `${subject.group}/${subject.version}` : subject.version;
}

function root(subject: Subject): string {
  return subject.group ? `/apis/${subject.group}/${subject.version}` : `/api/${subject.version}`;
}

/** The collection path, in the subject's namespace unless `allNamespaces`. */
export function collectionPath(subject: Subject, allNamespaces = false): string {
  const namespace = subject.namespace && !allNamespaces ? `/namespaces/${subject.namespace}` : '';
  return `${root(subject)}${namespace}/${subject.resource}`;
}

export function objectPath(subject: Subject, name: string): string {
  return `${collectionPath(subject)}/${name}`;
}

/** `resource.group`, as kubectl takes a type and Kubernetes names a resource in messages. */
export function qualifiedResource(subject: Subject): string {
  return subject.group ? `${subject.resource}.${subject.group}` : subject.resource;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces the subject's own names in `text` by placeholders. A name is replaced only where it stands
 * alone, and a kind or resource name not before a `/` (`application/json` is no Application).
 */
export function normaliseText(text: string, subject: Subject): string {
  const words: [string, string][] = [
    [subject.kind, '<Kind>'],
    [`${subject.kind}List`, '<Kind>List'],
    [subject.resource, '<resource>'],
    [subject.singular, '<singular>'],
  ];
  const tokens: [string, string][] = [
    ...words,
    // A core resource's group version is `v1`, which is also every Status' apiVersion: left alone.
    ...(subject.group
      ? ([
          [groupVersion(subject), '<group>/<version>'],
          [subject.group, '<group>'],
        ] as [string, string][])
      : []),
    ...(subject.namespace ? ([[subject.namespace, '<namespace>']] as [string, string][]) : []),
    ...subject.names.map((name): [string, string] => [name, '<name>']),
  ];
  const replacement = new Map(tokens);
  const wordTokens = new Set(words.map(([token]) => token));
  const alternatives = [...replacement.keys()].sort((a, b) => b.length - a.length).map(escape);
  const pattern = new RegExp(`(?<![A-Za-z0-9-])(${alternatives.join('|')})(?![A-Za-z0-9-])`, 'g');
  return text
    .replace(pattern, (match: string, _token: string, offset: number) =>
      wordTokens.has(match) && text[offset + match.length] === '/'
        ? match
        : (replacement.get(match) ?? match),
    )
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>');
}

/** Normalises every string inside a JSON value. */
export function normaliseJson(value: unknown, subject: Subject): unknown {
  if (typeof value === 'string') return normaliseText(value, subject);
  if (Array.isArray(value)) return value.map((item) => normaliseJson(item, subject));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, normaliseJson(item, subject)]),
    );
  return value;
}

/** The headers clients read (kubectl, client-go, browsers and caches). */
export const CLIENT_HEADERS = [
  'content-type',
  'content-encoding',
  'cache-control',
  'warning',
  'retry-after',
  'location',
  'x-content-type-options',
] as const;

export interface Answer {
  code: number;
  headers: Record<string, string>;
  /** The Status of a failure (or of a delete), normalised. */
  status?: unknown;
  /** What the case projects of any other body. */
  body?: unknown;
}

export interface AnswerOptions {
  /** Which of CLIENT_HEADERS to compare (all by default). */
  headers?: readonly string[];
  /** What to compare of a body that is not a Status. */
  project?: (body: unknown, response: RawResponse) => unknown;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * kube-apiserver sets `Cache-Control: no-cache, private` on every answer before its handler runs, and
 * kube-aggregator's proxy then adds the aggregated server's own header: any k8s.io/apiserver server
 * reached through the aggregator (prism among them) arrives with the value twice. Compared once.
 */
function collapsedCacheControl(value: string): string {
  const parts = value.split(',').map((part) => part.trim());
  const half = parts.length / 2;
  const repeated = Number.isInteger(half) && parts.slice(0, half).join() === parts.slice(half).join();
  return repeated ? parts.slice(0, half).join(', ') : value;
}

function isStatus(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/**
 * Intended difference: prism serves JSON and YAML, no protobuf, so the media types it lists in a 406 or
 * 415 lack kube-apiserver's `application/vnd.kubernetes.protobuf` (and its watch stream form).
 */
function withoutProtobuf(status: unknown): unknown {
  const message = (status as { message?: unknown }).message;
  if (typeof message !== 'string') return status;
  return {
    ...(status as object),
    message: message.replace(/, application\/vnd\.kubernetes\.protobuf(;stream=watch)?/g, ''),
  };
}

export function answerOf(response: RawResponse, subject: Subject, options: AnswerOptions = {}): Answer {
  const headers: Record<string, string> = {};
  for (const name of options.headers ?? CLIENT_HEADERS) {
    const value = headerValue(response.headers[name]);
    if (value === undefined) continue;
    headers[name] =
      name === 'warning'
        ? normaliseText(value, subject)
        : name === 'cache-control'
          ? collapsedCacheControl(value)
          : value;
  }
  const body = jsonOf(response);
  const answer: Answer = { code: response.status, headers };
  if (isStatus(body)) answer.status = normaliseJson(withoutProtobuf(body), subject);
  else if (options.project) answer.body = normaliseJson(options.project(body, response), subject);
  return answer;
}

/** One side of a comparison: where to send and what the resource is there. */
export interface Side {
  subject: Subject;
  endpoint: Endpoint;
}

export type RequestFor = (subject: Subject) => RawRequest;

/** The answer with the numbers in its strings left out (resourceVersions differ: etcd's, prism's clock). */
export function withoutNumbers(answer: Answer): Answer {
  return JSON.parse(JSON.stringify(answer), (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(/\d{2,}/g, '<n>') : value,
  ) as Answer;
}

/** Sends the request to both sides; returns both answers (prism first) for the caller to compare. */
export async function answers(
  prism: Side,
  reference: Side,
  request: RequestFor,
  options: AnswerOptions = {},
): Promise<[Answer, Answer]> {
  const [p, r] = await Promise.all([
    send(prism.endpoint, request(prism.subject)),
    send(reference.endpoint, request(reference.subject)),
  ]);
  return [answerOf(p, prism.subject, options), answerOf(r, reference.subject, options)];
}

/** Sends the request to both sides and expects the same answer; returns it. */
export async function expectSameAnswer(
  prism: Side,
  reference: Side,
  request: RequestFor,
  options: AnswerOptions = {},
): Promise<Answer> {
  const [p, r] = await answers(prism, reference, request, options);
  expect(p).toEqual(r);
  return r;
}

/** The kubectls the suite runs: the machine's, and the current release built into the cache. */
export interface Kubectl {
  name: string;
  binary: string;
}

export function kubectls(): Kubectl[] {
  return [
    { name: "the machine's kubectl", binary: 'kubectl' },
    { name: "kubectl of the control plane's release", binary: inject('currentKubectl') },
  ];
}

export interface KubectlAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlRun {
  binary: string;
  args: string[];
  input?: object;
  kubeconfig?: string;
}

/** Runs a kubectl; lines naming ComponentStatus' deprecation are dropped (the reference's own warning). */
export function runKubectl(run: KubectlRun): Promise<KubectlAnswer> {
  const kubeconfig = run.kubeconfig ?? inject('kubeconfig');
  return new Promise((resolve) => {
    const child = execFile(
      run.binary,
      ['--kubeconfig', kubeconfig, ...run.args],
      { maxBuffer: 16 << 20, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (run.input !== undefined) child.stdin?.end(stringify(run.input));
    else child.stdin?.end();
  });
}

/**
 * kubectl's output with the subject's names replaced. Two differences of the references are smoothed:
 * ComponentStatus' deprecation warning, and SelfSubjectReview dropping the name it is sent (kubectl then
 * prints `<unknown>` where prism's kinds, which keep it, print the name). OpenAPI definition names (in
 * client-side validation errors) are each side's own.
 */
export function normaliseKubectl(answer: KubectlAnswer, subject: Subject): KubectlAnswer {
  const clean = (text: string) =>
    normaliseText(
      text
        .split('\n')
        .filter((line) => !/^Warning: v1 ComponentStatus is deprecated/.test(line))
        .join('\n'),
      subject,
    )
      .replace(/\/<unknown>/g, '/<name>')
      .replace(/\bio\.[a-z0-9.]+\.v1\.<Kind>/g, '<definition>');
  return { code: answer.code, stdout: clean(answer.stdout), stderr: clean(answer.stderr) };
}

export type KubectlFor = (subject: Subject) => Omit<KubectlRun, 'binary'>;

/** Runs the same kubectl command against both sides with each kubectl; expects the same output. */
export async function expectSameKubectl(
  prism: Subject,
  reference: Subject,
  command: KubectlFor,
  which: readonly Kubectl[] = kubectls(),
): Promise<KubectlAnswer[]> {
  const results: KubectlAnswer[] = [];
  for (const { name, binary } of which) {
    const [p, r] = await Promise.all([
      runKubectl({ binary, ...command(prism) }),
      runKubectl({ binary, ...command(reference) }),
    ]);
    const expected = normaliseKubectl(r, reference);
    expect({ kubectl: name, ...normaliseKubectl(p, prism) }).toEqual({ kubectl: name, ...expected });
    results.push(expected);
  }
  return results;
}
