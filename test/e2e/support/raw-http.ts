/**
 * Raw HTTP for the conformance tests: the status, every header and the body bytes of one request, as a
 * client sees them, with nothing parsed or retried. Through kube-apiserver with a kubeconfig's
 * credentials (what kubectl sends), or straight to a server's listener (a direct caller, with or without
 * credentials). A watch is read for a while (or until enough arrived) and then dropped.
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { inject } from 'vitest';
import { kubeConfig } from './cluster.ts';

export interface RawRequest {
  method?: string;
  /** Path and query, e.g. `/apis/app.k8s.io/v1beta1/namespaces/ns/applications?limit=2`. */
  path: string;
  /** Headers to send; an undefined value sends none. */
  headers?: Readonly<Record<string, string | undefined>>;
  body?: string;
  /** For streams (watches): stop reading after this long; the answer holds what arrived. */
  readForMs?: number;
  /** For streams: stop reading once the text received so far satisfies this. */
  until?: (text: string) => boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received (compressed when Content-Encoding says so). */
  raw: Buffer;
  /** The body as text, decompressed. */
  text: string;
}

export interface Endpoint {
  host: string;
  port: number;
  ca: string;
  /** TLS server name to verify. */
  servername?: string;
  cert?: string;
  key?: string;
  /** Sent on every request (a bearer token, front-proxy headers). */
  headers?: Record<string, string>;
}

/** kube-apiserver as the kubeconfig's user reaches it (the administrator's by default). */
export function apiServerEndpoint(kubeconfig = inject('kubeconfig')): Endpoint {
  const config = kubeConfig(kubeconfig);
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  if (!cluster?.caData) throw new Error('the kubeconfig has no cluster CA');
  const url = new URL(cluster.server);
  const decode = (data: string | undefined) => (data ? Buffer.from(data, 'base64').toString() : undefined);
  const cert = decode(user?.certData);
  const key = decode(user?.keyData);
  return {
    host: url.hostname,
    port: Number(url.port),
    ca: decode(cluster.caData)!,
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(user?.token ? { headers: { authorization: `Bearer ${user.token}` } } : {}),
  };
}

/** The same endpoint without any credentials (an anonymous caller). */
export function anonymous(endpoint: Endpoint): Endpoint {
  const { cert: _cert, key: _key, headers: _headers, ...rest } = endpoint;
  return rest;
}

/** A user agent no server treats specially (kube-apiserver pretty-prints JSON for curl, Wget and browsers). */
const USER_AGENT = 'prismgate-conformance/1.0';

export function send(endpoint: Endpoint, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let finished = false;
    const req = https.request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: request.method ?? 'GET',
        path: request.path,
        ca: endpoint.ca,
        ...(endpoint.servername ? { servername: endpoint.servername } : {}),
        ...(endpoint.cert && endpoint.key ? { cert: endpoint.cert, key: endpoint.key } : {}),
        agent: false,
        headers: Object.fromEntries(
          Object.entries({
            'user-agent': USER_AGENT,
            ...endpoint.headers,
            ...request.headers,
            ...(request.body !== undefined
              ? { 'content-length': String(Buffer.byteLength(request.body)) }
              : {}),
          }).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
      },
      (res) => {
        const done = () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const text = (encoding === 'gzip' && raw.length > 0 ? gunzipSync(raw) : raw).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text });
          res.destroy();
        };
        const timer = request.readForMs === undefined ? undefined : setTimeout(done, request.readForMs);
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (request.until?.(Buffer.concat(chunks).toString('utf8'))) done();
        });
        res.on('end', done);
        res.on('close', done);
      },
    );
    req.on('error', (error) => {
      if (!finished) reject(error);
    });
    req.end(request.body);
  });
}

/** The JSON body of an answer (a watch's events, one per line, as an array). */
export function jsonOf(response: RawResponse): unknown {
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('json')) return undefined;
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

/** The events of a watch answer, one JSON object per line; a line cut off when reading stopped is left out. */
export function watchEventsOf(response: RawResponse): { type: string; object: Record<string, unknown> }[] {
  if (response.status !== 200) return [];
  const lines = response.text.split('\n').filter((line) => line.trim() !== '');
  const events: { type: string; object: Record<string, unknown> }[] = [];
  for (const [index, line] of lines.entries()) {
    try {
      events.push(JSON.parse(line) as { type: string; object: Record<string, unknown> });
    } catch (error) {
      if (index !== lines.length - 1) throw error;
    }
  }
  return events;
}
