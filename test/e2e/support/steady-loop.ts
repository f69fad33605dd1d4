import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `step` again and again, `intervalMs` apart, until stopped; stop() waits for the step in flight. */
export function steadyLoop(step: () => Promise<void>, intervalMs: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await step();
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
