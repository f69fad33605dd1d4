/**
 * A watch through kube-apiserver whose events a measurement can wait for, timed on arrival: listed first
 * and watched from the list's resourceVersion, so only changes made after opening arrive.
 */
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';

export interface WatchEvent {
  type: string;
  object: KubeObject;
}

interface Waiter {
  accept: (event: WatchEvent) => boolean;
  resolve: (arrivedAt: number | undefined) => void;
}

export class WatchEvents {
  private readonly waiters = new Set<Waiter>();
  private readonly abort = new AbortController();

  private constructor() {}

  static async open(client: KubeClient, path: string): Promise<WatchEvents> {
    const list = await client.request<{ metadata: { resourceVersion: string } }>('GET', path);
    const events = new WatchEvents();
    const streaming = client.stream(
      path,
      { watch: true, resourceVersion: list.metadata.resourceVersion },
      (line) => events.deliver(line as WatchEvent),
      events.abort.signal,
    );
    // A watch that ends early shows as samples that time out; the measurement reports them as missed.
    streaming.catch(() => undefined);
    return events;
  }

  private deliver(event: WatchEvent): void {
    const arrivedAt = performance.now();
    for (const waiter of this.waiters) {
      if (!waiter.accept(event)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(arrivedAt);
    }
  }

  /** When the first event `accept` takes arrives (performance.now()), or undefined after `timeoutMs`. */
  next(accept: (event: WatchEvent) => boolean, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        accept,
        resolve: (arrivedAt) => {
          clearTimeout(timer);
          resolve(arrivedAt);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.abort.abort();
  }
}
