/**
 * CPU and memory of other processes (prismgate, kube-apiserver, etcd) during a measurement, read from
 * /proc so that measuring costs the measured process nothing: no IPC round trip through its event loop.
 *
 * CPU comes from utime + stime in /proc/<pid>/stat (clock ticks of 10 ms, so a step should last
 * seconds); RSS is sampled from /proc/<pid>/status, and the peak of the samples is reported.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ; 100 on every Linux build Node supports. */
const TICKS_PER_SECOND = 100;
const SAMPLE_EVERY_MS = 250;

export interface ProcessUsage {
  /** Average cores busy over the step (1 = one core all the time), all threads. */
  cpuCores: number;
  cpuMs: number;
  /** The part of cpuMs spent in the kernel (syscalls; on loopback also much of the TCP path). */
  systemCpuMs: number;
  rssMiB: { start: number; peak: number; end: number };
}

/** User and system CPU ticks of a process, all threads. */
function cpuTicks(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
  return { user: Number(fields[11]), system: Number(fields[12]) };
}

const ticksToMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
}

/** Starts watching one process; the returned function ends the watch and gives the figures. */
export function watchProcess(pid: number): () => ProcessUsage {
  const startTicks = cpuTicks(pid);
  const startedAt = performance.now();
  const start = rssMiB(pid);
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), SAMPLE_EVERY_MS);
  return () => {
    clearInterval(timer);
    const endTicks = cpuTicks(pid);
    const systemCpuMs = ticksToMs(endTicks.system - startTicks.system);
    const cpuMs = ticksToMs(endTicks.user - startTicks.user) + systemCpuMs;
    const end = rssMiB(pid);
    return {
      cpuCores: Math.round((cpuMs / (performance.now() - startedAt)) * 100) / 100,
      cpuMs,
      systemCpuMs,
      rssMiB: { start, peak: Math.max(peak, end), end },
    };
  };
}

/** Watches several named processes over the same interval. */
export function watchProcesses(pids: Record<string, number>): () => Record<string, ProcessUsage> {
  const stops = Object.entries(pids).map(([name, pid]) => [name, watchProcess(pid)] as const);
  return () => Object.fromEntries(stops.map(([name, stop]) => [name, stop()]));
}

const commandOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

/** Children of a process (from /proc/<pid>/task/<tid>/children, every thread's). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
  );
}

/**
 * The control plane's binaries by name (etcd, kube-apiserver, kube-controller-manager): the harness
 * starts each under a supervising shell, whose own pid is what it knows.
 */
export function processesByName(supervisors: readonly number[]): Record<string, number> {
  const binaries = supervisors.flatMap((pid) => childrenOf(pid).filter((child) => commandOf(child) !== 'sh'));
  // /proc/<pid>/comm is cut at 15 characters: "kube-controller".
  const fullName = (pid: number) => commandOf(pid).replace(/^kube-controller$/, 'kube-controller-manager');
  return Object.fromEntries(binaries.map((pid) => [fullName(pid), pid]));
}
