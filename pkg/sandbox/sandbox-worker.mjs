// @ts-check
/**
 * The worker side of the script sandbox, in plain JavaScript so that a child process can load it under
 * any runner (tsx, vitest, compiled output) without a TypeScript loader.
 *
 * It runs in a child process of its own, started with a capped V8 heap (--max-old-space-size): a worker
 * thread's resourceLimits are best effort, and one large allocation in a worker aborts the whole process
 * (nodejs/node#47224), so a script that outgrows its budget must take down this process and nothing else.
 * Each call gets a fresh V8 context with no host objects in it at all: no require, no process, no timers,
 * no fetch, and code generation from strings (eval, new Function) disabled; nor anything that allocates
 * outside the heap (ArrayBuffer, typed arrays, WebAssembly), which no heap limit would bound. Arguments
 * enter as a JSON literal parsed inside the context, and only a primitive string of bounded length leaves
 * it, so no object of this realm is ever reachable from user code and no result can swell the caller's
 * heap.
 */
import process from 'node:process';
import vm from 'node:vm';

/** Memory a heap limit does not count: removed from every context before user code runs. */
const OFF_HEAP = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Atomics',
  'WebAssembly',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];
const WITHOUT_OFF_HEAP = new vm.Script(
  `for (const name of ${JSON.stringify(OFF_HEAP)}) delete globalThis[name];`,
);

/**
 * @param {{ id: number, source: string, functionName: string, args: string[], timeoutMs: number, maxResultChars: number }} task
 */
function run(task) {
  const context = vm.createContext(Object.create(null), {
    codeGeneration: { strings: false, wasm: false },
    // Promise jobs run inside the timeout too, so an async loop cannot escape it.
    microtaskMode: 'afterEvaluate',
  });
  WITHOUT_OFF_HEAP.runInContext(context);
  // The conversion to text happens inside the context, with that realm's own JSON and String.
  const invocation = `${task.source}
;(function () {
  const result = (${task.functionName})(...JSON.parse(${JSON.stringify(JSON.stringify(task.args))}));
  if (result === null || result === undefined) return null;
  return typeof result === 'object' ? JSON.stringify(result) : String(result);
})();`;
  try {
    const value = new vm.Script(invocation, { filename: 'user-script.js' }).runInContext(context, {
      timeout: task.timeoutMs,
    });
    if (value !== null && typeof value !== 'string') {
      return { id: task.id, ok: false, error: 'the script did not return text' };
    }
    // Checked here, before the text is copied to the main thread: a string's length is known without
    // reading it (a rope built by repetition is flattened only when copied).
    if (value !== null && value.length > task.maxResultChars) {
      return {
        id: task.id,
        ok: false,
        error: `the script returned ${value.length} characters; at most ${task.maxResultChars} are allowed`,
      };
    }
    return { id: task.id, ok: true, value };
  } catch (error) {
    const timedOut = /** @type {{ code?: string }} */ (error)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    const message = timedOut
      ? `timed out after ${task.timeoutMs} ms`
      : error instanceof Error || (error && typeof error === 'object' && 'message' in error)
        ? String(/** @type {{ message: unknown }} */ (error).message)
        : String(error);
    return { id: task.id, ok: false, error: message };
  }
}

process.on('message', (task) => process.send?.(run(/** @type {any} */ (task))));
// The pool went away (it stopped, or its process died): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
