/**
 * prismgate as its own process, started the way `npm start` starts it (`src/main.ts`, configured from the
 * environment), for tests that kill it, restart it or measure it from outside: registered locally
 * (ExternalName Service → localhost) on free ports. It runs under supervise.sh, so it dies with the test
 * run however that ends; `kill()` and `stop()` signal prismgate itself, whose pid its log lines carry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SUPERVISE = path.join(REPO, 'test/control-plane/supervise.sh');
/** Generous: a 2-core machine shared with other test runs starts prismgate in 2-10 s. */
const START_TIMEOUT_MS = 120_000;

export interface PrismgateMainOptions {
  kubeconfig: string;
  /**
   * The leader-election identity. A restart under the same name takes its lease back at once, as a
   * container restarting in its pod does; another name would wait for the lease to expire.
   */
  identity?: string;
  /** More environment (PRISMGATE_*). */
  env?: Record<string, string>;
  /** Each line prismgate logs (pino JSON), for diagnosis. */
  onLog?: (line: string) => void;
}

/** GET over HTTPS on loopback, trusting any certificate (the test only asks its own process). */
function get(port: number, urlPath: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        rejectUnauthorized: false,
        timeout: 5_000,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no answer within 5 s`)));
    req.on('error', reject);
  });
}

export class PrismgateMain {
  private constructor(
    private readonly supervisor: ChildProcess,
    /** prismgate's own pid (not supervise.sh's). */
    readonly pid: number,
    readonly webhookPort: number,
    readonly apiPort: number,
    private readonly exited: Promise<unknown>,
  ) {}

  /** Starts prismgate and resolves once it has registered and listens (not necessarily ready). */
  static async start(options: PrismgateMainOptions): Promise<PrismgateMain> {
    const supervisor = spawn(
      'sh',
      [SUPERVISE, process.execPath, '--import', 'tsx', path.join(REPO, 'src/main.ts')],
      {
        cwd: REPO,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PRISMGATE_KUBECONFIG: options.kubeconfig,
          PRISMGATE_REGISTRATION: 'local',
          PRISMGATE_HOST: '127.0.0.1',
          PRISMGATE_WEBHOOK_PORT: '0',
          PRISMGATE_API_PORT: '0',
          PRISMGATE_DEREGISTER_ON_STOP: 'true',
          PRISMGATE_SHUTDOWN_DELAY_MS: '0',
          ...(options.identity ? { PRISMGATE_POD_NAME: options.identity } : {}),
          ...options.env,
          // The "prismgate started" line (info) is where the ports are read from.
          LOG_LEVEL: 'info',
        },
      },
    );
    const exited = once(supervisor, 'exit');
    let output = '';
    const started = new Promise<{ pid: number; webhookPort: number; apiPort: number }>((resolve) => {
      for (const stream of [supervisor.stdout!, supervisor.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => {
          output = `${output}${line}\n`.slice(-20_000);
          options.onLog?.(line);
          if (!line.includes('"prismgate started"')) return;
          const { pid, webhookPort, apiPort } = JSON.parse(line) as Record<string, number>;
          resolve({ pid: pid!, webhookPort: webhookPort!, apiPort: apiPort! });
        });
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      started,
      exited.then(() => {
        throw new Error(`prismgate exited while starting:\n${output}`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`prismgate did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)),
          START_TIMEOUT_MS,
        );
      }),
    ])
      .catch((error: unknown) => {
        supervisor.stdin?.destroy();
        throw error;
      })
      .finally(() => clearTimeout(timer));
    return new PrismgateMain(supervisor, outcome.pid, outcome.webhookPort, outcome.apiPort, exited);
  }

  /** /readyz of the webhook listener: caches synced and every feature ready. */
  async ready(): Promise<boolean> {
    return (await get(this.webhookPort, '/readyz').catch(() => ({ status: 0 }))).status === 200;
  }

  /** The process's resident set size, in bytes (Linux). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kib === undefined) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    return Number(kib) * 1024;
  }

  /**
   * A gauge of prismgate's /metrics, e.g. `prismgate_nodejs_heap_size_used_bytes`, read with `token`, of a
   * user who may get /metrics.
   */
  async metric(name: string, token: string): Promise<number> {
    const { body } = await get(this.webhookPort, '/metrics', token);
    const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body)?.[1];
    if (value === undefined) throw new Error(`no metric ${name}`);
    return Number(value);
  }

  /** SIGKILL: no shutdown at all, registration left pointing at a dead port. */
  async kill(): Promise<void> {
    process.kill(this.pid, 'SIGKILL');
    await this.exited;
    this.supervisor.stdin?.destroy();
  }

  /** SIGTERM: prismgate's graceful shutdown (deregisters, as PRISMGATE_DEREGISTER_ON_STOP asks). */
  async stop(): Promise<void> {
    if (this.supervisor.exitCode !== null || this.supervisor.signalCode !== null) return;
    process.kill(this.pid, 'SIGTERM');
    await this.exited;
    this.supervisor.stdin?.destroy();
  }
}
