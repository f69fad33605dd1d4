/**
 * Starts prismgate in a process of its own (prismgate-host.ts) for a scenario, and talks to it: wait for
 * quiet, read its memory after a full GC, count the objects its caches hold, stop it. Its pid is what the
 * scenarios watch for CPU and RSS (process-usage.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

export interface HostOptions {
  kubeconfig: string;
  /** Names of the default features to run (`vimana`, `kappnav-status`, `policies`); all of them by default. */
  features?: string[];
  /**
   * `local` (the default) registers as `npm start` does; `none` registers nothing, for a process whose
   * webhooks the benchmark registers itself (a peer scoped to a namespace of its own).
   */
  registration?: 'local' | 'none';
  /** Its namespace (Lease, certificate Secrets; it must exist when registration is `none`) and Service name. */
  namespace?: string;
  serviceName?: string;
}

export interface HostMemory {
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
}

export type HostRequest =
  | { call: 'settle' | 'memory' | 'watchedObjects' | 'stop' | 'startProfile' }
  | { call: 'stopProfile'; file: string };
export type HostCall = HostRequest & { id: number };
export type HostReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
export type HostStarted =
  { type: 'started'; webhookPort: number; caBundle: string } | { type: 'failed'; error: string };

export interface StartOptions extends HostOptions {
  /** Where profile() writes V8 CPU profiles (`npm run bench -- --profile`); without it profile() only runs. */
  cpuProfileDir?: string;
  /** Prefixes the profiles' file names. */
  label: string;
}

const CALL_TIMEOUT_MS = 600_000;

export class PrismgateProcess {
  private nextId = 0;
  private readonly calls = new Map<number, (reply: HostReply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly webhookPort: number,
    /** The CA the cluster is told to trust; clients of the webhook port verify with it. */
    readonly caBundle: string,
    private readonly profiles: { dir: string; prefix: string } | undefined,
  ) {
    child.on('message', (reply: HostReply) => this.calls.get(reply.id)?.(reply));
    // prismgate dying (say out of memory at 50k objects) fails the calls waiting on it and the scenario,
    // not the benchmark process: an unhandled 'error' on the channel would lose every scenario's figures.
    const failAll = (why: string) => {
      for (const [id, settle] of this.calls) settle({ id, ok: false, error: why });
    };
    child.on('exit', (code, signal) => failAll(`prismgate exited (${signal ?? code})`));
    child.on('error', (error) => failAll(error.message));
  }

  get pid(): number {
    return this.child.pid ?? NaN;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  static async start(options: StartOptions): Promise<PrismgateProcess> {
    const child = fork(new URL('./prismgate-host.ts', import.meta.url), {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      // prismgate logs to stdout; the benchmark's stdout is its JSON, so the logs go to stderr.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    const message = await new Promise<HostStarted>((resolve, reject) => {
      const early = (code: number | null) => reject(new Error(`prismgate exited (${code}) while starting`));
      child.once('exit', early);
      child.once('message', (started: HostStarted) => {
        child.off('exit', early);
        resolve(started);
      });
      const { cpuProfileDir: _dir, label: _label, ...hostOptions } = options;
      child.send({ type: 'start', options: hostOptions satisfies HostOptions });
    });
    if (message.type === 'failed') throw new Error(`prismgate did not start: ${message.error}`);
    const profiles = options.cpuProfileDir
      ? { dir: options.cpuProfileDir, prefix: options.label }
      : undefined;
    return new PrismgateProcess(child, message.webhookPort, message.caBundle, profiles);
  }

  private call<T>(request: HostRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`prismgate did not answer ${request.call}`)),
        CALL_TIMEOUT_MS,
      );
      const settle = (reply: HostReply) => {
        clearTimeout(timer);
        this.calls.delete(id);
        if (reply.ok) resolve(reply.result as T);
        else reject(new Error(`prismgate ${request.call}: ${reply.error}`));
      };
      if (!this.child.connected) {
        settle({ id, ok: false, error: 'prismgate is no longer running' });
        return;
      }
      this.calls.set(id, settle);
      this.child.send({ ...request, id } satisfies HostCall, (error) => {
        if (error) settle({ id, ok: false, error: error.message });
      });
    });
  }

  /** Resolves when prismgate's reconcilers have nothing left to do. */
  settle(): Promise<void> {
    return this.call({ call: 'settle' });
  }

  /** RSS and heap after a full garbage collection. */
  memory(): Promise<HostMemory> {
    return this.call({ call: 'memory' });
  }

  /** Objects held by all of prismgate's informer caches together. */
  watchedObjects(): Promise<number> {
    return this.call({ call: 'watchedObjects' });
  }

  /**
   * Runs `work` (a measurement) while prismgate records a CPU profile, written as
   * `<dir>/<label>-<name>.cpuprofile`; only runs `work` when profiles were not asked for.
   */
  async profile<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (!this.profiles) return work();
    await this.call({ call: 'startProfile' });
    try {
      return await work();
    } finally {
      const file = path.join(this.profiles.dir, `${this.profiles.prefix}-${name}.cpuprofile`);
      await this.call({ call: 'stopProfile', file });
    }
  }

  /** Stops prismgate as SIGTERM would (deregistering first) and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    try {
      await this.call({ call: 'stop' });
    } catch (error) {
      // A prismgate that cannot stop cleanly must still not outlive the benchmark.
      this.child.kill('SIGKILL');
      throw error;
    }
    await exited;
  }
}
