/**
 * The webhook load generator, run as its own process (forked by webhook-latency.ts): a closed loop of `connections` keep-alive HTTPS connections, each sending
 * the next review as soon as the previous answer arrived, bounded by a request count and a deadline.
 * Loopback only.
 */
import https from 'node:https';
import { serveOneJob } from './child-job.ts';

export interface LoadJob {
  port: number;
  path: string;
  caPem: string;
  body: string;
  connections: number;
  /** Requests measured, after `warmup` unmeasured ones that open the connections. */
  requests: number;
  warmup: number;
  /** Stops early at this deadline, whatever was counted. */
  maxMs: number;
}

export interface LoadResult {
  latenciesMs: number[];
  elapsedMs: number;
  /** Answers that were not an allowing AdmissionReview (should be none). */
  failures: number;
}

function send(agent: https.Agent, job: LoadJob, body: Buffer): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port: job.port,
        path: job.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve(response.statusCode === 200 && Buffer.concat(chunks).includes('"allowed":true')),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: job.connections, ca: job.caPem });
  const body = Buffer.from(job.body);
  const latenciesMs: number[] = [];
  let issued = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + job.maxMs;
  const loop = async () => {
    while (issued < job.warmup + job.requests && performance.now() < deadline) {
      const measured = issued++ >= job.warmup;
      const sent = process.hrtime.bigint();
      if (!(await send(agent, job, body))) failures += 1;
      if (measured) latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, loop));
  agent.destroy();
  return { latenciesMs, elapsedMs: performance.now() - started, failures };
}

serveOneJob(run);
