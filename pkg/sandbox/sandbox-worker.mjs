// @ts-check
/**
 * The worker side of the script sandbox, in plain JavaScript so that a worker thread can load it under
 * any runner (tsx, vitest, compiled output) without a TypeScript loader.
 *
 * It runs in a worker thread whose heap is capped by the pool (resourceLimits); each call gets a fresh
 * V8 context with no host objects in it at all: no require, no process, no timers, no fetch, and code
 * generation from strings (eval, new Function) disabled. Arguments enter as a JSON literal parsed inside
 * the context, and only a primitive string leaves it, so no object of this realm is ever reachable from
 * user code.
 */
import { parentPort } from 'node:worker_threads';
import vm from 'node:vm';

/**
 * @param {{ id: number, source: string, functionName: string, args: string[], timeoutMs: number }} task
 */
function run(task) {
  const context = vm.createContext(Object.create(null), {
    codeGeneration: { strings: false, wasm: false },
    // Promise jobs run inside the timeout too, so an async loop cannot escape it.
    microtaskMode: 'afterEvaluate',
  });
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

parentPort?.on('message', (task) => parentPort?.postMessage(run(task)));
