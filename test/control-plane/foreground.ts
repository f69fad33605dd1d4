/**
 * Runs the local control plane in the foreground for a person at a terminal (`npm run cluster`,
 * `npm run up`): one instance per checkout, guarded by a lock file, stopped cleanly on Ctrl-C.
 */
import { copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { LocalControlPlane } from './local-control-plane.ts';

const STATE_DIR = path.resolve('.prismgate');
const LOCK = path.join(STATE_DIR, 'cluster.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock atomically; a lock left by a dead process is taken over. Returns false if another run holds it. */
function acquireLock(): boolean {
  mkdirSync(STATE_DIR, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(LOCK, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        console.error(
          `A local control plane is already running from this folder (process ${holder}); ` +
            `it stays as it is. Use it with: kubectl --kubeconfig ${path.join(STATE_DIR, 'kubeconfig')} get ns\n` +
            `or stop it (Ctrl-C in its terminal, or kill ${holder}) before starting another.`,
        );
        return false;
      }
      rmSync(LOCK, { force: true });
    }
  }
  return false;
}

export type AfterStart = (
  controlPlane: LocalControlPlane,
  kubeconfig: string,
) => Promise<() => Promise<void>>;

export async function runInForeground(title: string, afterStart?: AfterStart): Promise<void> {
  if (!acquireLock()) {
    process.exitCode = 1;
    return;
  }
  const log = (line: string) => console.log(`[${title}] ${line}`);
  let controlPlane: LocalControlPlane | undefined;
  let stopExtra: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await stopExtra?.();
    await controlPlane?.stop();
    rmSync(LOCK, { force: true });
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    controlPlane = await LocalControlPlane.start({ dir: path.join(STATE_DIR, 'cluster'), log });
    const kubeconfig = path.join(STATE_DIR, 'kubeconfig');
    copyFileSync(controlPlane.kubeconfig, kubeconfig);
    copyFileSync(controlPlane.developerKubeconfig, path.join(STATE_DIR, 'developer.kubeconfig'));
    stopExtra = await afterStart?.(controlPlane, kubeconfig);
    console.log(`
The local control plane is up (API server ${controlPlane.server}).

  export KUBECONFIG=${kubeconfig}
  kubectl get ns
  kubectl --context prismgate-developer auth can-i list pods   # the unprivileged user

Logs: ${path.join(controlPlane.dir, 'logs')}
Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(`[${title}] failed: ${(error as Error).message}`);
    await stopExtra?.();
    await controlPlane?.stop();
    rmSync(LOCK, { force: true });
    process.exit(1);
  }
}
