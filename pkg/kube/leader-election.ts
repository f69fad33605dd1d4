/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the holder
 * renews the lease well within its duration; anyone may take over a lease whose renewal is older than its
 * duration. Updates carry the resourceVersion they read, so two candidates can never both win.
 *
 * prismgate elects a leader so that exactly one replica rotates certificates and writes registration and
 * status; every replica serves requests.
 */
import type { Logger } from 'pino';
import { KubeApiError, type KubeClient } from './kube-client.ts';
import type { KubeObject } from './types.ts';

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  log: Logger;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
}

interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
const microTime = (date: Date) => date.toISOString().replace('Z', '000Z');

export class LeaderElector {
  private leader = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRenewal = 0;
  private readonly listeners = new Set<(leader: boolean) => void>();
  private readonly path: string;
  private readonly durationSeconds: number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${options.namespace}/leases`;
    this.durationSeconds = options.leaseDurationSeconds ?? 15;
  }

  isLeader(): boolean {
    return this.leader;
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tries once right away, then keeps trying (or renewing) in the background. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.renewIntervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Stops and, when leading, releases the lease so another replica takes over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.leader) return;
    try {
      const lease = await this.options.client.request<Lease>('GET', `${this.path}/${this.options.name}`);
      if (lease.spec?.holderIdentity === this.options.identity) {
        lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 };
        await this.options.client.request('PUT', `${this.path}/${this.options.name}`, { body: lease });
      }
    } catch (err) {
      // A conflict means someone else wrote the lease meanwhile: it is not ours to release any more.
      if (!(err instanceof KubeApiError && err.code === 409))
        this.options.log.warn({ err }, 'could not release the leader lease');
    }
    this.setLeader(false);
  }

  private setLeader(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    this.options.log.info(
      { lease: this.options.name, identity: this.options.identity, leader },
      leader ? 'became leader' : 'lost leadership',
    );
    for (const listener of this.listeners) listener(leader);
  }

  private async tick(): Promise<void> {
    try {
      this.setLeader(await this.tryAcquireOrRenew());
      if (this.leader) this.lastRenewal = Date.now();
    } catch (err) {
      this.options.log.warn({ err }, 'leader election request failed');
      // A leader that cannot renew steps down before its lease can be taken over, never after.
      if (this.leader && Date.now() - this.lastRenewal > (this.durationSeconds * 1000) / 2)
        this.setLeader(false);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, identity, name, namespace } = this.options;
    const now = new Date();
    let lease: Lease;
    try {
      lease = await client.request<Lease>('GET', `${this.path}/${name}`);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 404)) throw error;
      return this.write('POST', this.path, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: this.durationSeconds,
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: 0,
        },
      });
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = renewed + (spec.leaseDurationSeconds ?? this.durationSeconds) * 1000 < now.getTime();
    if (holder !== '' && holder !== identity && !expired) return false;
    const takingOver = holder !== identity;
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: this.durationSeconds,
      renewTime: microTime(now),
      ...(takingOver
        ? { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }
        : {}),
    };
    return this.write('PUT', `${this.path}/${name}`, lease);
  }

  /** Creates or updates the lease; a conflict means another candidate won this round. */
  private async write(method: 'POST' | 'PUT', path: string, lease: Lease): Promise<boolean> {
    try {
      await this.options.client.request(method, path, { body: lease });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && (error.code === 409 || error.code === 422)) return false;
      throw error;
    }
  }
}
