import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.ts';

const log = pino({ level: 'silent' });

/** A processing step that stays open until the test releases it. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

describe('WorkQueue', () => {
  it('coalesces a key added several times before it is processed', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue<string>({ log, process: async (key) => void seen.push(key) });
    for (const key of ['a', 'b', 'a', 'a', 'b']) queue.add(key);
    queue.start();
    await queue.whenIdle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('with a delay, coalesces what is added during it, the key being processed included', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue<string>({ log, delayMs: 30, process: async (key) => void seen.push(key) });
    queue.start();
    queue.add('a');
    queue.add('b');
    await new Promise((resolve) => setTimeout(resolve, 10));
    queue.add('a');
    expect(seen).toEqual([]);
    await queue.whenIdle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('adds a key after a delay, unless it is already queued', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue<string>({ log, process: async (key) => void seen.push(key) });
    queue.addAfter('later', 20);
    queue.add('now');
    queue.addAfter('now', 20);
    queue.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual(['now']);
    expect(queue.idle).toBe(false);
    await queue.whenIdle();
    expect(seen).toEqual(['now', 'later']);
  });

  it('never processes one key twice at once, and processes it again when it was added meanwhile', async () => {
    const first = gate();
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const queue = new WorkQueue<string>({
      log,
      concurrency: 4,
      process: async (key) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        seen.push(key);
        if (seen.length === 1) await first.opened;
        running -= 1;
      },
    });
    queue.start();
    queue.add('a');
    queue.add('a');
    queue.add('a');
    expect(maxRunning).toBe(1);
    first.release();
    await queue.whenIdle();
    expect(seen).toEqual(['a', 'a']);
    expect(maxRunning).toBe(1);
  });

  it('retries a failed key after a backoff', async () => {
    let attempts = 0;
    const queue = new WorkQueue<string>({
      log,
      retryDelayMs: 5,
      process: async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('conflict');
      },
    });
    queue.start();
    queue.add('a');
    await queue.whenIdle();
    expect(attempts).toBe(3);
  });

  it('stops: waits for the key being processed and drops the rest', async () => {
    const step = gate();
    const seen: string[] = [];
    const queue = new WorkQueue<string>({
      log,
      process: async (key) => {
        seen.push(key);
        await step.opened;
      },
    });
    queue.start();
    queue.add('a');
    queue.add('b');
    const stopped = queue.stop();
    step.release();
    await stopped;
    queue.add('c');
    expect(seen).toEqual(['a']);
    expect(queue.idle).toBe(true);
  });
});
