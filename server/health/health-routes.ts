/**
 * `/livez`, `/readyz` and `/healthz` as k8s.io/apiserver serves them: `ok`, or 500 listing each check as
 * `[+]name ok` / `[-]name failed: reason withheld`; `?verbose` lists the checks on success too,
 * `?exclude=name` skips one, and `/readyz/<name>` runs one check. The reasons are logged, not shown, since
 * anyone may call these endpoints.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface HealthCheck {
  name: string;
  /** Why the check fails, or undefined when it passes. */
  check(): string | undefined;
}

type Query = Record<string, string | string[] | undefined>;

export interface HealthOptions {
  livez: readonly HealthCheck[];
  readyz: readonly HealthCheck[];
}

function excluded(query: Query): Set<string> {
  const value = query.exclude;
  return new Set(value === undefined ? [] : Array.isArray(value) ? value : [value]);
}

function runAll(endpoint: string, checks: readonly HealthCheck[], log: FastifyBaseLogger) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Query;
    const skip = excluded(query);
    const lines: string[] = [];
    let failed = false;
    for (const { name, check } of checks) {
      if (skip.has(name)) {
        lines.push(`[+]${name} excluded: ok`);
        continue;
      }
      const failure = check();
      if (failure === undefined) lines.push(`[+]${name} ok`);
      else {
        failed = true;
        lines.push(`[-]${name} failed: reason withheld`);
        log.info({ check: name, endpoint, reason: failure }, 'health check failed');
      }
    }
    void reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
    if (failed) return reply.code(500).send(`${lines.join('\n')}\n${endpoint} check failed\n`);
    if (query.verbose === undefined) return reply.send('ok');
    return reply.send(`${lines.join('\n')}\n${endpoint} check passed\n`);
  };
}

function runOne(check: HealthCheck) {
  return (_request: FastifyRequest, reply: FastifyReply) => {
    const failure = check.check();
    void reply.type('text/plain; charset=utf-8');
    if (failure === undefined) return reply.send('ok');
    return reply.code(500).send(`internal server error: ${failure}\n`);
  };
}

export function healthRoutes(app: FastifyInstance, options: HealthOptions, done: () => void): void {
  const endpoints: [string, readonly HealthCheck[]][] = [
    ['livez', options.livez],
    ['readyz', options.readyz],
    // The deprecated overall endpoint: healthy means ready.
    ['healthz', options.readyz],
  ];
  for (const [endpoint, checks] of endpoints) {
    app.get(`/${endpoint}`, runAll(endpoint, checks, app.log));
    for (const check of checks) app.get(`/${endpoint}/${check.name}`, runOne(check));
  }
  done();
}

/** The check every endpoint has: the server answers. */
export const PING: HealthCheck = { name: 'ping', check: () => undefined };

const HEALTH_PATH = /^\/(healthz|livez|readyz)(\/|$)/;

/** Health endpoints are open to anyone, as kubelet probes them without credentials. */
export function isHealthPath(path: string): boolean {
  return HEALTH_PATH.test(path);
}
