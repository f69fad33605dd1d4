/**
 * Runs user JavaScript (kAppNav status algorithms, action snippets and validators) with a time and a
 * memory budget, off the main thread.
 *
 * A small pool of worker threads, each with a capped heap, evaluates one call at a time in a fresh V8
 * context (see sandbox-worker.mjs). A synchronous runaway loop is stopped by the V8 timeout; a worker
 * that exhausts its heap or does not answer within the budget is terminated and replaced. Either way the
 * caller gets a failed result with a reason and the server keeps serving.
 */
import { Worker } from 'node:worker_threads';

export interface SandboxOptions {
  /** Worker threads; calls beyond this many wait their turn. */
  workers?: number;
  /** Heap budget of each worker. */
  memoryMb?: number;
  /** Default time budget of one call. */
  timeoutMs?: number;
}

export interface ScriptCall {
  /** Script text that defines the function, e.g. `function getStatus(s) { ... }`. */
  source: string;
  /** The function to call, a plain identifier. */
  functionName: string;
  /** Arguments, passed as strings as kAppNav does. */
  args: string[];
  timeoutMs?: number;
}

/** `value` is the function's result as text (objects as JSON), or null for null/undefined. */
export type ScriptResult = { ok: true; value: string | null } | { ok: false; error: string };

/** What the pool posts to a worker (sandbox-worker.mjs) and what it answers. */
interface SandboxTask {
  id: number;
  source: string;
  functionName: string;
  args: string[];
  timeoutMs: number;
}
type SandboxReply = { id: number; ok: true; value: string | null } | { id: number; ok: false; error: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Extra time the host grants past the V8 timeout before it declares the worker stuck. */
const HOST_GRACE_MS = 1000;

interface Pending {
  task: SandboxTask;
  resolve: (result: ScriptResult) => void;
}

class SandboxWorker {
  private worker: Worker;
  private current: (Pending & { timer: NodeJS.Timeout }) | undefined;

  constructor(
    private readonly memoryMb: number,
    private readonly onIdle: (slot: SandboxWorker) => void,
  ) {
    this.worker = this.spawn();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      env: {},
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.on('message', (reply: SandboxReply) => {
      if (reply.id !== this.current?.task.id) return;
      this.finish(reply.ok ? { ok: true, value: reply.value } : { ok: false, error: reply.error });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const reason =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `exceeded the memory budget of ${this.memoryMb} MB`
          : `failed: ${error.message}`;
      this.replace(`the script ${reason}`);
    });
    worker.on('exit', () => {
      if (this.current) this.replace('the script worker exited unexpectedly');
    });
    return worker;
  }

  run(pending: Pending): void {
    const timer = setTimeout(
      () => this.replace(`the script did not finish within ${pending.task.timeoutMs} ms`),
      pending.task.timeoutMs + HOST_GRACE_MS,
    );
    this.current = { ...pending, timer };
    this.worker.postMessage(pending.task);
  }

  private finish(result: ScriptResult): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = undefined;
    current.resolve(result);
    this.onIdle(this);
  }

  /** Fails the current call and starts a fresh worker in place of this one. */
  private replace(error: string): void {
    const old = this.worker;
    this.worker = this.spawn();
    old.removeAllListeners();
    void old.terminate();
    this.finish({ ok: false, error });
  }

  terminate(): Promise<number> {
    this.worker.removeAllListeners();
    return this.worker.terminate();
  }
}

/** The part of the sandbox that runs a script: what its users depend on (tests give them a stand-in). */
export type ScriptRunner = Pick<ScriptSandbox, 'call'>;

export class ScriptSandbox {
  private readonly workers: SandboxWorker[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(options: SandboxOptions = {}) {
    const size = options.workers ?? 2;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.workers = Array.from(
      { length: size },
      () => new SandboxWorker(options.memoryMb ?? 32, (slot) => this.dispatch(slot)),
    );
  }

  /** Calls `functionName(...args)` defined by `source`; never rejects. */
  call(call: ScriptCall): Promise<ScriptResult> {
    if (!IDENTIFIER.test(call.functionName)) {
      return Promise.resolve({ ok: false, error: `"${call.functionName}" is not a function name` });
    }
    return new Promise((resolve) => {
      const task: SandboxTask = {
        id: this.nextId++,
        source: call.source,
        functionName: call.functionName,
        args: call.args,
        timeoutMs: call.timeoutMs ?? this.timeoutMs,
      };
      this.queue.push({ task, resolve });
      const idle = this.workers.find((w) => !w.busy);
      if (idle) this.dispatch(idle);
    });
  }

  private dispatch(slot: SandboxWorker): void {
    const next = this.queue.shift();
    if (next) slot.run(next);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
