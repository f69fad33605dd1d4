/**
 * The HTTPS load generator, run as its own process (forked by http-load.ts), over `connections`
 * keep-alive TLS connections, bounded by a request count and a deadline. Loopback only.
 *
 * - Closed loop (no rate): each connection sends the next request as soon as the previous answer
 *   arrived, so the server runs as fast as it goes; latency then follows from throughput (Little's law).
 * - Paced (`ratePerSecond`): requests are scheduled at that total rate, spread over the connections, and
 *   latency runs from the scheduled time, so a late answer also counts against the requests queued
 *   behind it (no coordinated omission). This is a server under a given load, below saturation.
 *
 * It speaks just enough HTTP/1.1 itself (one fixed POST, answers with Content-Length) instead of using
 * node:https: the https client's agent and parser cost about as much CPU per request as the server under
 * test, and on a small machine the figures would then measure the client.
 */
import { connect, type TLSSocket } from 'node:tls';
import { serveOneJob } from './child-job.ts';
import { watchProcess, type ProcessUsage } from './process-usage.ts';

export interface LoadJob {
  port: number;
  /** Where the JSON `body` is POSTed. */
  path: string;
  caPem: string;
  /** The name the server's certificate is verified against; `localhost` by default. */
  servername?: string;
  body: string;
  /** Text every successful answer contains (e.g. `"allowed":true`). */
  expect: string;
  connections: number;
  /** Requests measured, after `warmup` unmeasured ones that open the connections and warm the JIT. */
  requests: number;
  warmup: number;
  /** Stops early at this deadline, whatever was counted. */
  maxMs: number;
  /** Total requests per second, paced; absent for a closed loop. */
  ratePerSecond?: number;
  /** The server's pid: its CPU and RSS are read over exactly the measured part. */
  serverPid: number;
}

export interface LoadResult {
  latenciesMs: number[];
  /** Wall time of the measured part (from the first measured request to the last answer). */
  measuredMs: number;
  /** Answers that were not a 200 containing `expect` (should be none). */
  failures: number;
  firstFailure?: string;
  /** The server process over the measured part. */
  server: ProcessUsage;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** One keep-alive connection: `exchange()` writes the request and resolves with the status and body. */
class Connection {
  private pending: Buffer[] = [];
  private waiter: ((answer: { status: number; body: string }) => void) | undefined;
  private failer: ((error: Error) => void) | undefined;
  /** Why the connection can carry no more requests, once it cannot. */
  private closed: Error | undefined;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.tryComplete();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  private fail(error: Error): void {
    this.closed ??= error;
    this.failer?.(error);
  }

  static open(job: LoadJob): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: job.port,
        ca: job.caPem,
        servername: job.servername ?? 'localhost',
      });
      socket.setNoDelay(true);
      socket.once('secureConnect', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  /** One request and its answer; rejects when the connection fails or no answer comes within `timeoutMs`. */
  exchange(request: Buffer, timeoutMs: number): Promise<{ status: number; body: string }> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The answer may still come; the connection cannot be reused in step with it.
        this.fail(new Error(`no answer within ${Math.round(timeoutMs)} ms`));
        this.socket.destroy();
      }, timeoutMs);
      this.waiter = (answer) => {
        clearTimeout(timer);
        resolve(answer);
      };
      this.failer = (error) => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.failer = undefined;
        reject(error);
      };
      this.socket.write(request);
    });
  }

  private tryComplete(): void {
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [data];
    const headerEnd = data.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = data.subarray(0, headerEnd).toString('latin1');
    const length = CONTENT_LENGTH.exec(head);
    if (!length) return this.failer?.(new Error(`answer without Content-Length: ${head}`));
    const end = headerEnd + HEADER_END.length + Number(length[1]);
    if (data.length < end) return;
    this.pending = data.length > end ? [data.subarray(end)] : [];
    const waiter = this.waiter;
    this.waiter = undefined;
    this.failer = undefined;
    waiter?.({ status: Number(head.slice(9, 12)), body: data.subarray(headerEnd + 4, end).toString() });
  }

  close(): void {
    this.socket.destroy();
  }
}

const ANSWER_GRACE_MS = 5_000;

function requestBytes(job: LoadJob): Buffer {
  const body = Buffer.from(job.body);
  const head =
    `POST ${job.path} HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

async function run(job: LoadJob): Promise<LoadResult> {
  const request = requestBytes(job);
  const connections = await Promise.all(Array.from({ length: job.connections }, () => Connection.open(job)));
  const latenciesMs: number[] = [];
  let issued = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  let measuredFrom = 0;
  let stopWatching: (() => ProcessUsage) | undefined;
  const started = performance.now();
  const deadline = started + job.maxMs;
  /** Milliseconds between one connection's requests when paced. */
  const interval = job.ratePerSecond ? (job.connections / job.ratePerSecond) * 1000 : 0;
  const loop = async (connection: Connection, c: number) => {
    // Paced connections are staggered over one interval, so the total rate is even.
    let scheduled = started + (interval * c) / job.connections;
    while (issued < job.warmup + job.requests && performance.now() < deadline) {
      const index = issued++;
      if (index === job.warmup) {
        measuredFrom = performance.now();
        stopWatching = watchProcess(job.serverPid);
      }
      // The connection is free: its previous answer is in.
      const ready = performance.now();
      if (interval > 0 && scheduled > ready)
        await new Promise((resolve) => setTimeout(resolve, scheduled - ready));
      // An answer that came after this request's slot makes it late: latency then runs from the slot, so a
      // slow answer also counts against the requests queued behind it (no coordinated omission). Otherwise
      // from the actual send: libuv timers fire up to a millisecond early or late, the generator's error.
      const sent = interval > 0 && ready > scheduled ? scheduled : performance.now();
      scheduled += interval;
      let answer: { status: number; body: string };
      try {
        // A request in flight at the deadline gets a few seconds more, then counts as failed.
        answer = await connection.exchange(request, deadline - performance.now() + ANSWER_GRACE_MS);
      } catch (error) {
        // The connection is gone: a failure, and the end of this connection's share of the load.
        failures += 1;
        firstFailure ??= (error as Error).message;
        return;
      }
      if (answer.status !== 200 || !answer.body.includes(job.expect)) {
        failures += 1;
        firstFailure ??= `${answer.status} ${answer.body.slice(0, 300)}`;
      }
      if (index >= job.warmup) latenciesMs.push(performance.now() - sent);
    }
  };
  await Promise.all(connections.map((connection, c) => loop(connection, c)));
  const measuredMs = measuredFrom > 0 ? performance.now() - measuredFrom : 0;
  const server = stopWatching?.();
  for (const connection of connections) connection.close();
  if (!server)
    throw new Error(`not even the ${job.warmup} warm-up requests were answered within ${job.maxMs} ms`);
  return {
    latenciesMs,
    measuredMs,
    server,
    failures,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

serveOneJob(run);
