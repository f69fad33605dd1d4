/**
 * Latency of alternatives measured side by side: in every round each alternative runs once, and which
 * goes first rotates, so all of them see the same machine at the same moments (the machine is shared,
 * and its load moves). With several workers, each runs its own rounds concurrently.
 */

/** One round of one alternative: the milliseconds of each operation it timed, by operation name. */
export type Sampler = (round: number, worker: number) => Promise<Record<string, number>>;

export interface InterleaveOptions {
  rounds: number;
  /** Rounds run first and not counted (connections, caches, JIT). */
  warmup: number;
  workers: number;
}

/** Samples by alternative, then by operation. */
export type Samples<K extends string> = Record<K, Record<string, number[]>>;

export async function sampleInterleaved<K extends string>(
  samplers: Record<K, Sampler>,
  { rounds, warmup, workers }: InterleaveOptions,
): Promise<Samples<K>> {
  const names = Object.keys(samplers) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, {}])) as Samples<K>;
  const worker = async (w: number) => {
    for (let round = 0; round < warmup + rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + w + i) % names.length]!;
        const timed = await samplers[name](round, w);
        if (round < warmup) continue;
        const byOperation: Record<string, number[]> = samples[name];
        for (const [operation, ms] of Object.entries(timed)) (byOperation[operation] ??= []).push(ms);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return samples;
}

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
