/** Starts and stops the benchmark's floor server (bare-webhook-host.ts) in a child process. */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { BareWebhookStarted } from './bare-webhook-host.ts';

export interface BareWebhook extends BareWebhookStarted {
  pid: number;
  stop(): Promise<void>;
}

/** `dnsNames`: names its serving certificate holds besides localhost and 127.0.0.1. */
export async function startBareWebhook(dnsNames: readonly string[] = []): Promise<BareWebhook> {
  const child = fork(new URL('./bare-webhook-host.ts', import.meta.url), [...dnsNames], {
    execArgv: ['--import', 'tsx'],
  });
  const [started] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the floor server exited (${code}) while starting`);
    }),
  ])) as [BareWebhookStarted];
  return {
    ...started,
    pid: child.pid ?? NaN,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
