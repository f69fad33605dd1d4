/** The machine a run measured on; the machine is shared, so its load is part of every figure. */
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
}

export interface LoadAverage {
  /** 1, 5 and 15 minute load averages. */
  before: number[];
  after: number[];
}

export function describeMachine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
  };
}

const roundLoad = () => loadavg().map((value) => Math.round(value * 100) / 100);

/** Starts recording the load average; the returned function ends the record. */
export function recordLoad(): () => LoadAverage {
  const before = roundLoad();
  return () => ({ before, after: roundLoad() });
}
