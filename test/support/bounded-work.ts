/**
 * What a piece of work costs the process: how far the heap grew while it ran and the longest the event
 * loop was held up. The security tests hold user-controlled evaluations to generous safety bounds with
 * it (hundreds of milliseconds, hundreds of MiB); these are not speed assertions, which go to
 * `npm run bench`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WorkCost<T> {
  result: T;
  /** heapUsed after the work minus before, garbage included (what the work allocated and not yet freed). */
  heapGrowthMiB: number;
  /** The longest event-loop delay seen while the work ran. */
  maxEventLoopDelayMs: number;
}

const RESOLUTION_MS = 10;

/** Runs `work` (synchronous or not) and measures it; a thrown error is the result. */
export async function measureWork<T>(work: () => T | Promise<T>): Promise<WorkCost<T | Error>> {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  // The histogram samples on its own timer: give it a turn before, and a few after so a stall is recorded.
  await sleep(RESOLUTION_MS * 2);
  const heapBefore = process.memoryUsage().heapUsed;
  let result: T | Error;
  try {
    result = await work();
  } catch (error) {
    result = error instanceof Error ? error : new Error(String(error));
  }
  const heapAfter = process.memoryUsage().heapUsed;
  await sleep(RESOLUTION_MS * 3);
  delay.disable();
  return {
    result,
    heapGrowthMiB: (heapAfter - heapBefore) / 2 ** 20,
    maxEventLoopDelayMs: delay.max / 1e6,
  };
}
