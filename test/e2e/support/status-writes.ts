/**
 * Who writes the status of Vimana objects, and how often, measured from watch events as a person would
 * measure it on a real cluster: every MODIFIED event of the four kinds in a namespace is one write to etcd,
 * and the writer is the manager whose `managedFields` entry the write stamped or extended (writersOf).
 * Status writes are those by an entry of the `status` subresource, and those that changed the status
 * without stamping any entry (UNATTRIBUTED: an update that changed none of its writer's own fields).
 */
import { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { writersOf } from '../../../pkg/kube/managed-fields.ts';
import { sameJson } from '../../../pkg/json/json-value.ts';
import type { KubeList, KubeObject } from '../../../pkg/kube/types.ts';
import { kubeConfig } from './cluster.ts';

export interface ObservedWrite {
  at: number;
  kind: string;
  name: string;
  /** `manager` of the managedFields entry the write changed. */
  manager: string;
  operation: string;
  subresource: string;
}

const PLURALS = ['vimanas', 'domains', 'servers', 'components'];

/** The writer of a status write that changed no manager's fields (see writersOf). */
export const UNATTRIBUTED = '(unattributed)';

export class StatusWriteRecorder {
  readonly writes: ObservedWrite[] = [];
  private readonly client = new KubeClient(kubeConfig());
  private readonly abort = new AbortController();
  private readonly watches: Promise<void>[] = [];

  private readonly last = new Map<string, KubeObject>();

  private constructor(private readonly namespace: string) {}

  /** Starts watching the four kinds in `namespace`; resolves once every watch is open. */
  static async start(namespace: string): Promise<StatusWriteRecorder> {
    const recorder = new StatusWriteRecorder(namespace);
    for (const plural of PLURALS) {
      const opened = await recorder.list(plural);
      recorder.watches.push(recorder.follow(plural, opened));
    }
    return recorder;
  }

  private path(plural: string): string {
    return `/apis/api.vimana.host/v1alpha1/namespaces/${this.namespace}/${plural}`;
  }

  /**
   * Lists a kind, taking any change since the last event seen as a write (the API server ends every watch
   * of a kind while it reinitialises its storage, e.g. when the CRD changes); answers the list's version.
   */
  private async list(plural: string): Promise<string | undefined> {
    const list = await this.client.request<KubeList>('GET', this.path(plural));
    for (const item of list.items) {
      const before = this.last.get(`${plural}/${item.metadata?.name}`);
      if (before && before.metadata?.resourceVersion !== item.metadata?.resourceVersion)
        this.onEvent(plural, { type: 'MODIFIED', object: { ...item, kind: before.kind } });
      else this.last.set(`${plural}/${item.metadata?.name}`, item);
    }
    return list.metadata?.resourceVersion;
  }

  /** Watches a kind until stopped, listing again whenever a watch ends. */
  private async follow(plural: string, from: string | undefined): Promise<void> {
    let resourceVersion = from;
    while (!this.abort.signal.aborted) {
      try {
        await this.client.stream(
          this.path(plural),
          { watch: 1, resourceVersion, timeoutSeconds: 1_800 },
          (line) => {
            const event = line as { type: string; object: KubeObject };
            if (event.type === 'ERROR') throw new Error('watch error');
            resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
            this.onEvent(plural, event);
          },
          this.abort.signal,
        );
      } catch {
        // Listed again below.
      }
      if (this.abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
      resourceVersion = await this.list(plural).catch(() => undefined);
    }
  }

  private onEvent(plural: string, event: { type: string; object: KubeObject }): void {
    const key = `${plural}/${event.object.metadata?.name}`;
    const before = this.last.get(key);
    if (event.type === 'DELETED') this.last.delete(key);
    else this.last.set(key, event.object);
    if (event.type !== 'MODIFIED') return;
    const writers = writersOf(before, event.object);
    const write = {
      at: Date.now(),
      kind: event.object.kind ?? plural,
      name: event.object.metadata?.name ?? '',
    };
    for (const writer of writers.filter((entry) => entry.subresource === 'status'))
      this.writes.push({
        ...write,
        manager: writer.manager ?? '',
        operation: writer.operation ?? '',
        subresource: 'status',
      });
    // A status write that stamped no entry: an update that changed none of its writer's own fields.
    if (writers.length === 0 && !sameJson(before?.['status'], event.object['status']))
      this.writes.push({ ...write, manager: UNATTRIBUTED, operation: 'Update', subresource: 'status' });
  }

  /** Resolves once no status write has been seen for `quietMs` (the objects converged); fails after `timeoutMs`. */
  async settled(quietMs: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const last = this.writes.at(-1)?.at ?? 0;
      if (Date.now() - last >= quietMs) return;
      if (Date.now() > deadline)
        throw new Error(
          `status writes did not stop within ${timeoutMs} ms: ${JSON.stringify(this.writes.slice(-5))}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Status writes since `from` (ms since epoch), by manager; optionally of one manager only. */
  since(from: number, manager?: string): ObservedWrite[] {
    return this.writes.filter(
      (write) => write.at >= from && (manager === undefined || write.manager === manager),
    );
  }

  /**
   * The largest number of status writes any one object received per minute over `[from, to)`, by manager:
   * the figure the issue reports (writes per object per minute).
   */
  ratePerObjectPerMinute(from: number, to: number): Record<string, number> {
    const perObject = new Map<string, Map<string, number>>();
    for (const write of this.writes.filter((w) => w.at >= from && w.at < to)) {
      const byObject = perObject.get(write.manager) ?? new Map<string, number>();
      const object = `${write.kind}/${write.name}`;
      byObject.set(object, (byObject.get(object) ?? 0) + 1);
      perObject.set(write.manager, byObject);
    }
    const minutes = (to - from) / 60_000;
    return Object.fromEntries(
      [...perObject].map(([manager, byObject]) => [
        manager,
        Math.round(Math.max(...byObject.values()) / minutes),
      ]),
    );
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.watches);
    this.client.close();
  }
}
