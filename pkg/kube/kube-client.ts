/**
 * A lean HTTP client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig.
 *
 * KubeConfig does what it is good at: loading kubeconfig files or the in-cluster service account and
 * applying credentials (client certificates, bearer tokens, token files that rotate). Requests go through
 * one keep-alive agent and node:https directly, because prismgate needs control the generated client does
 * not give: streaming watches that a watchdog can abort, exact query parameters (resourceVersion,
 * allowWatchBookmarks, limit/continue), any Content-Type (apply, merge and JSON patches), and the
 * metav1.Status of a failure.
 */
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, KubeStatus } from './types.ts';

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: KubeStatus | undefined,
    message: string,
  ) {
    super(message);
  }

  get reason(): string | undefined {
    return this.status?.reason;
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Fails the request with a timeout after this long (default 30 s). */
  timeoutMs?: number;
}

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function payloadOf(extra: RequestOptions): string | undefined {
  if (extra.body === undefined) return undefined;
  return typeof extra.body === 'string' ? extra.body : JSON.stringify(extra.body);
}

export class KubeClient {
  readonly server: URL;
  private readonly agent: https.Agent;
  /**
   * Watches hold their connection for minutes: on an agent of their own, so that however many there are,
   * they never take the request agent's sockets (requests would queue behind them).
   */
  private readonly streamAgent = new https.Agent({ keepAlive: false });

  constructor(private readonly kubeConfig: KubeConfig) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
    // Idle connections are closed after 30 s, so this side closes them before a server's idle timeout
    // does: a connection the server closes just as a request reuses it would fail that request.
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 64, timeout: 30_000 });
  }

  /** The user this client authenticates as, as the kubeconfig names it (for logs). */
  get userName(): string | undefined {
    return this.kubeConfig.getCurrentUser()?.name;
  }

  private async options(
    method: string,
    path: string,
    extra: RequestOptions,
    agent = this.agent,
  ): Promise<https.RequestOptions> {
    const options: https.RequestOptions = {
      method,
      protocol: this.server.protocol,
      hostname: this.server.hostname,
      port: this.server.port,
      path: `${this.server.pathname.replace(/\/$/, '')}${path}${queryString(extra.query)}`,
      headers: { accept: 'application/json', 'user-agent': 'prismgate', ...extra.headers },
      agent,
    };
    // Sets the CA, client certificate and Authorization header; re-read per request so rotated
    // service-account tokens are picked up.
    await this.kubeConfig.applyToHTTPSOptions(options);
    // applyToHTTPSOptions also sets a new agent of its own, every call: kept, every request would open a
    // new TLS connection (a full handshake with the client certificate, milliseconds of CPU). The
    // keep-alive agent pools connections by the TLS options set above, so a rotated certificate still gets
    // connections of its own. Only a proxy needs the kubeconfig's agent.
    if (!this.kubeConfig.getCurrentCluster()?.proxyUrl) options.agent = agent;
    const payload = payloadOf(extra);
    if (payload !== undefined) {
      const headers = options.headers as Record<string, string>;
      headers['content-type'] = extra.contentType ?? 'application/json';
      // Always a length: Node sends DELETE bodies neither chunked nor with a length by default, and the
      // API server then reads the next request on that kept-alive connection as garbage (400).
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return options;
  }

  private send(options: https.RequestOptions, extra: RequestOptions): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = https.request(options, resolve);
      req.setTimeout(extra.timeoutMs ?? 30_000, () =>
        req.destroy(
          new Error(`${options.method} ${options.path}: no answer within ${extra.timeoutMs ?? 30_000} ms`),
        ),
      );
      req.on('error', reject);
      if (extra.signal) {
        if (extra.signal.aborted) req.destroy(new Error('aborted'));
        extra.signal.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      }
      req.end(payloadOf(extra));
    });
  }

  private static async readBody(res: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private static failure(method: string, path: string, code: number, text: string): KubeApiError {
    let status: KubeStatus | undefined;
    try {
      const parsed = JSON.parse(text) as KubeStatus;
      if (parsed.kind === 'Status') status = parsed;
    } catch {
      // not a Status body; the text is quoted below
    }
    return new KubeApiError(
      code,
      status,
      `${method} ${path}: ${code} ${status?.message ?? text.slice(0, 300)}`,
    );
  }

  /** Sends a request and parses the JSON answer; throws KubeApiError on a non-2xx status. */
  async request<T = KubeObject>(method: string, path: string, extra: RequestOptions = {}): Promise<T> {
    // Serialised once, here: options() measures it, send() writes it.
    const serialised = { ...extra, body: payloadOf(extra) };
    const res = await this.send(await this.options(method, path, serialised), serialised);
    const text = await KubeClient.readBody(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code >= 300) throw KubeClient.failure(method, path, code, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a streaming GET (a watch) and calls `onLine` with each newline-delimited JSON document until the
   * server ends the stream or `signal` aborts it. No overall timeout: the caller's watchdog decides.
   */
  async stream(
    path: string,
    query: Query,
    onLine: (value: unknown) => void,
    signal: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<void> {
    const res = await this.send(await this.options('GET', path, { query, headers }, this.streamAgent), {
      signal,
      timeoutMs: 0,
    });
    const code = res.statusCode ?? 0;
    if (code < 200 || code >= 300)
      throw KubeClient.failure('GET', path, code, await KubeClient.readBody(res));
    signal.addEventListener('abort', () => res.destroy(), { once: true });
    // Plain stream events rather than readline: a `for await` over readline never ends when the response is
    // destroyed without an 'end' (exactly what aborting a stalled watch does).
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          try {
            onLine(JSON.parse(line));
          } catch (error) {
            res.destroy();
            reject(error);
            return;
          }
        }
      });
      res.on('end', resolve);
      res.on('close', resolve);
      res.on('error', (error) => (signal.aborted ? resolve() : reject(error)));
    });
  }

  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }
}
