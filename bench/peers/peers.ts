/**
 * The peers of the benchmark, built once per run (cached across runs) and started by the scenarios that
 * compare with them. A peer that cannot be built or started here is reported with the exact reason, and
 * the others still run.
 */
import { gatekeeper } from './gatekeeper.ts';
import { kyverno } from './kyverno.ts';
import type { GateEndpoint, Peer, PeerContext, RunningPeer } from './peer.ts';
import { pepr } from './pepr.ts';
import { prismgatePolicies } from './prismgate-policies.ts';

export const PEERS: readonly Peer[] = [prismgatePolicies, kyverno, gatekeeper, pepr];

export interface UnavailablePeer {
  peer: string;
  version: string;
  stage: 'build' | 'start';
  reason: string;
}

export interface PeerBuild {
  peer: string;
  version: string;
  /** Seconds `prepare` took in this run (0.0 when the cache had it). */
  seconds: number;
  error?: string;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let builds: Promise<PeerBuild[]> | undefined;

/** Builds every peer once per run (the first scenario that needs them pays the time; caches keep it). */
export function preparePeers(log: (line: string) => void): Promise<PeerBuild[]> {
  builds ??= (async () => {
    const done: PeerBuild[] = [];
    for (const peer of PEERS) {
      const started = performance.now();
      try {
        await peer.prepare((line) => log(`${peer.name}: ${line}`));
        done.push({ peer: peer.name, version: peer.version, seconds: seconds(started) });
      } catch (error) {
        log(`${peer.name} cannot be built here: ${reasonOf(error)}`);
        done.push({
          peer: peer.name,
          version: peer.version,
          seconds: seconds(started),
          error: reasonOf(error),
        });
      }
    }
    return done;
  })();
  return builds;
}

export interface StartedGate extends GateEndpoint {
  peer: string;
  version: string;
  /** The process answering the gate's reviews (shared by the gates of one peer). */
  pid: number;
}

export interface StartedPeers {
  gates: StartedGate[];
  unavailable: UnavailablePeer[];
  /** Seconds each peer took to start and enforce its policies. */
  startSeconds: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts every peer that was built, one after the other; a peer failing to start is reported, not fatal. */
export async function startPeers(context: PeerContext): Promise<StartedPeers> {
  const prepared = await preparePeers(context.log);
  const running: RunningPeer[] = [];
  const gates: StartedGate[] = [];
  const startSeconds: Record<string, number> = {};
  const unavailable: UnavailablePeer[] = prepared
    .filter((build) => build.error !== undefined)
    .map((build) => ({
      peer: build.peer,
      version: build.version,
      stage: 'build',
      reason: build.error ?? '',
    }));
  for (const peer of PEERS) {
    if (unavailable.some((u) => u.peer === peer.name)) continue;
    const started = performance.now();
    context.log(`starting ${peer.name} ${peer.version}`);
    try {
      const peerRun = await peer.start({ ...context, log: (line) => context.log(`${peer.name}: ${line}`) });
      running.push(peerRun);
      gates.push(
        ...peerRun.gates.map((gate) => ({
          ...gate,
          peer: peer.name,
          version: peer.version,
          pid: peerRun.pid,
        })),
      );
      startSeconds[peer.name] = seconds(started);
      context.log(`${peer.name} enforces its policies after ${startSeconds[peer.name]} s`);
    } catch (error) {
      context.log(`${peer.name} cannot run here: ${reasonOf(error)}`);
      unavailable.push({ peer: peer.name, version: peer.version, stage: 'start', reason: reasonOf(error) });
    }
  }
  return {
    gates,
    unavailable,
    startSeconds,
    async stop() {
      for (const peerRun of running.reverse()) await peerRun.stop().catch(() => undefined);
    },
  };
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}
