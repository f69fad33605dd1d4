/**
 * Runs user JavaScript (kAppNav status algorithms, action snippets and validators) with a time, memory and
 * output budget, off the main thread.
 *
 * Worker processes, each with a capped heap, evaluate one call at a time in a fresh V8 context (see
 * sandbox-worker.mjs). Processes rather than worker threads: a thread's heap limit is best effort, and one
 * large allocation in a thread aborts the whole server (nodejs/node#47224). A synchronous runaway loop is
 * stopped by the V8 timeout; a worker that exhausts its heap (and so aborts) or does not answer within the
 * budget is killed and replaced; a result longer than `maxResultChars` is refused inside the worker, so it
 * never reaches this process's heap. Either way the caller gets a failed result with a reason and the
 * server keeps serving.
 *
 * Calls run in lanes, each with workers of its own, so that what any API user can ask for (snippets, on
 * request) cannot hold up what the status reconciler needs (status algorithms):
 *
 *   status    status algorithms; its queue follows the number of objects (a status pass asks for all
 *             of them at once), so its bound is large
 *   snippets  action snippets and validators (the default lane); a small bounded queue per caller, and
 *             callers are served in turn, so one user flooding the API waits behind no one but himself
 *
 * A call beyond a lane's bounds fails at once, saying the sandbox is busy, rather than waiting without end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type SandboxLane = 'status' | 'snippets';

export interface LaneOptions {
  /** Worker processes of the lane; `SandboxOptions.workers` by default. */
  workers?: number;
  /** Calls that may wait in the lane, all callers together. */
  maxQueued?: number;
  /** Calls one caller may have waiting in the lane. */
  maxQueuedPerCaller?: number;
}

export interface SandboxOptions {
  /** Worker processes of each lane (unless its options say otherwise); calls beyond wait their turn. */
  workers?: number;
  /** Heap budget of each worker process (V8's old generation). */
  memoryMb?: number;
  /** Default time budget of one call. */
  timeoutMs?: number;
  /** The longest result a script may return, in characters (64 Ki by default). */
  maxResultChars?: number;
  lanes?: Partial<Record<SandboxLane, LaneOptions>>;
}

export interface ScriptCall {
  /** Script text that defines the function, e.g. `function getStatus(s) { ... }`. */
  source: string;
  /** The function to call, a plain identifier. */
  functionName: string;
  /** Arguments, passed as strings as kAppNav does. */
  args: string[];
  timeoutMs?: number;
  /** The lane that runs the call; `snippets` by default. */
  lane?: SandboxLane;
  /** Who the call is for (a user name): callers of a lane are served in turn, and bounded each. */
  caller?: string;
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
  maxResultChars: number;
}
type SandboxReply = { id: number; ok: true; value: string | null } | { id: number; ok: false; error: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Extra time the host grants past the V8 timeout before it declares the worker stuck. */
const HOST_GRACE_MS = 1000;
const DEFAULT_MAX_RESULT_CHARS = 64 * 1024;
const LANE_DEFAULTS: Record<SandboxLane, Required<Omit<LaneOptions, 'workers'>>> = {
  status: { maxQueued: 100_000, maxQueuedPerCaller: 100_000 },
  snippets: { maxQueued: 256, maxQueuedPerCaller: 32 },
};
/** How a refusal names the lane's calls. */
const CALLS_OF: Record<SandboxLane, string> = { status: 'status algorithm', snippets: 'snippet' };
/** The caller of calls that name none. */
const ANONYMOUS = '';

interface Pending {
  task: SandboxTask;
  resolve: (result: ScriptResult) => void;
}

/** One worker process, started on its first call and replaced when it fails. */
class SandboxWorker {
  private child: ChildProcess | undefined;
  private current: (Pending & { timer: NodeJS.Timeout }) | undefined;

  constructor(
    private readonly memoryMb: number,
    private readonly onIdle: (slot: SandboxWorker) => void,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  private spawn(): ChildProcess {
    const child = fork(fileURLToPath(new URL('./sandbox-worker.mjs', import.meta.url)), [], {
      // Only the heap limit: none of this process's flags (loaders, NODE_OPTIONS, its own heap size).
      execArgv: [`--max-old-space-size=${this.memoryMb}`, '--max-semi-space-size=8'],
      env: {},
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: SandboxReply) => {
      if (reply.id !== this.current?.task.id) return;
      this.finish(reply.ok ? { ok: true, value: reply.value } : { ok: false, error: reply.error });
    });
    child.on('error', (error) => this.replace(child, `the script failed: ${error.message}`));
    child.on('exit', (code, signal) => {
      // V8 aborts a process that reaches its heap limit.
      const outOfMemory = signal === 'SIGABRT' || code === 134;
      this.replace(
        child,
        outOfMemory
          ? `the script exceeded the memory budget of ${this.memoryMb} MB`
          : 'the script process exited unexpectedly',
      );
    });
    return child;
  }

  run(pending: Pending): void {
    const timer = setTimeout(
      () => this.replace(this.child, `the script did not finish within ${pending.task.timeoutMs} ms`),
      pending.task.timeoutMs + HOST_GRACE_MS,
    );
    this.current = { ...pending, timer };
    this.child ??= this.spawn();
    this.child.send(pending.task);
  }

  private finish(result: ScriptResult): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = undefined;
    current.resolve(result);
    this.onIdle(this);
  }

  /** Fails the current call and ends `child`; a fresh process starts with the next call. */
  private replace(child: ChildProcess | undefined, error: string): void {
    if (!child || child !== this.child) return;
    this.child = undefined;
    child.removeAllListeners();
    child.kill('SIGKILL');
    this.finish({ ok: false, error });
  }

  terminate(): void {
    this.child?.removeAllListeners();
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** A lane: its workers, and a queue per caller served in turn. */
class Lane {
  private readonly workers: SandboxWorker[];
  private readonly queues = new Map<string, Pending[]>();
  /** Callers with calls waiting, in the order they are served next. */
  private readonly turns: string[] = [];
  private queued = 0;
  private readonly limits: Required<Omit<LaneOptions, 'workers'>>;

  constructor(
    readonly name: SandboxLane,
    options: LaneOptions,
    workers: number,
    memoryMb: number,
  ) {
    this.limits = { ...LANE_DEFAULTS[name], ...options };
    this.workers = Array.from(
      { length: options.workers ?? workers },
      () => new SandboxWorker(memoryMb, (slot) => this.dispatch(slot)),
    );
  }

  /** Queues a call; a refusal when the lane's bounds are reached. */
  enqueue(caller: string, pending: Pending): ScriptResult | undefined {
    const queue = this.queues.get(caller) ?? [];
    if (queue.length >= this.limits.maxQueuedPerCaller)
      return this.busy(
        `${caller || 'this caller'} has ${queue.length} ${CALLS_OF[this.name]} calls waiting already (at most ${this.limits.maxQueuedPerCaller})`,
      );
    if (this.queued >= this.limits.maxQueued)
      return this.busy(
        `${this.queued} ${CALLS_OF[this.name]} calls are waiting (at most ${this.limits.maxQueued})`,
      );
    if (queue.length === 0) {
      this.queues.set(caller, queue);
      this.turns.push(caller);
    }
    queue.push(pending);
    this.queued += 1;
    const idle = this.workers.find((w) => !w.busy);
    if (idle) this.dispatch(idle);
    return undefined;
  }

  private busy(why: string): ScriptResult {
    return { ok: false, error: `the script sandbox is busy: ${why}; try again shortly` };
  }

  /** Gives the idle worker the next caller's oldest call; that caller then goes to the back. */
  private dispatch(slot: SandboxWorker): void {
    const caller = this.turns.shift();
    if (caller === undefined) return;
    const queue = this.queues.get(caller)!;
    const next = queue.shift()!;
    this.queued -= 1;
    if (queue.length > 0) this.turns.push(caller);
    else this.queues.delete(caller);
    slot.run(next);
  }

  close(): void {
    for (const worker of this.workers) worker.terminate();
  }
}

/** The part of the sandbox that runs a script: what its users depend on (tests give them a stand-in). */
export type ScriptRunner = Pick<ScriptSandbox, 'call'>;

export class ScriptSandbox {
  private readonly lanes: Record<SandboxLane, Lane>;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxResultChars: number;

  constructor(options: SandboxOptions = {}) {
    const workers = options.workers ?? 2;
    const memoryMb = options.memoryMb ?? 32;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.maxResultChars = options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
    const lane = (name: SandboxLane) => new Lane(name, options.lanes?.[name] ?? {}, workers, memoryMb);
    this.lanes = { status: lane('status'), snippets: lane('snippets') };
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
        maxResultChars: this.maxResultChars,
      };
      const refused = this.lanes[call.lane ?? 'snippets'].enqueue(call.caller ?? ANONYMOUS, {
        task,
        resolve,
      });
      if (refused) resolve(refused);
    });
  }

  async close(): Promise<void> {
    for (const lane of Object.values(this.lanes)) lane.close();
  }
}
