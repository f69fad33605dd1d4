/**
 * The soak's steady load on prismgate, in closed loops that keep the number of objects constant (so that
 * memory has no reason to grow):
 *
 * - Vimana: a Component created, relabelled and deleted, over and over, per namespace (the validating and
 *   mutating webhooks, the caches, the status reconciler writing Server and Component status);
 * - kAppNav: a Service of an Application created and deleted (status injection, the status reconciler);
 * - prism API: lists of applications and components through kube-apiserver (the aggregation layer);
 * - reviews sent straight to the webhook listener at a fixed rate (the request path at volume).
 */
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { createReview } from '../../bench/support/admission-review.ts';
import { component, mutationsOf } from '../e2e/reliability-fixtures.ts';

export interface Counter {
  requests: number;
  failures: number;
  /** The latest failure, for the report. */
  lastFailure?: string;
}

export type Stream = 'vimanaWrites' | 'kappnavWrites' | 'prismLists' | 'webhookReviews';

export interface SoakTarget {
  client: KubeClient;
  /** Namespaces holding a Vimana, Domain (id `domainId`) and Server `payments`, and Application `soak`. */
  namespaces: { name: string; domainId: string }[];
  webhookPort: number;
  reviewsPerSecond: number;
}

const COMPONENTS = '/apis/api.vimana.host/v1alpha1/namespaces';
/** A breath between iterations of a loop: load that leaves the 2-core machine's control plane room. */
const PAUSE_MS = 20;

export class SoakLoad {
  readonly counters: Record<Stream, Counter> = {
    vimanaWrites: { requests: 0, failures: 0 },
    kappnavWrites: { requests: 0, failures: 0 },
    prismLists: { requests: 0, failures: 0 },
    webhookReviews: { requests: 0, failures: 0 },
  };
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false });

  constructor(private readonly target: SoakTarget) {}

  start(): void {
    for (const ns of this.target.namespaces) {
      this.loops.push(this.loop((n) => this.vimanaRound(ns.name, ns.domainId, n)));
      this.loops.push(this.loop((n) => this.kappnavRound(ns.name, n)));
    }
    this.loops.push(this.loop(() => this.prismRound()));
    this.loops.push(this.reviews());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
  }

  private async loop(round: (n: number) => Promise<void>): Promise<void> {
    for (let n = 0; this.running; n++) {
      await round(n);
      await sleep(PAUSE_MS);
    }
  }

  /** Counts one request of `stream`, and its failure; never throws. */
  private async count<T>(stream: Stream, request: () => Promise<T>): Promise<T | undefined> {
    const counter = this.counters[stream];
    counter.requests++;
    try {
      return await request();
    } catch (error) {
      counter.failures++;
      counter.lastFailure = (error as Error).message.slice(0, 300);
      return undefined;
    }
  }

  private async vimanaRound(namespace: string, domainId: string, n: number): Promise<void> {
    const { client } = this.target;
    const object = component(namespace, domainId, 'payments', `2.0.${n}`);
    const path = `${COMPONENTS}/${namespace}/components`;
    const created = await this.count('vimanaWrites', () =>
      client.request<KubeObject>('POST', path, { body: object }),
    );
    if (!created) return;
    await this.count('vimanaWrites', async () => {
      // The mutating webhook's labels prove it saw the Component; an object without them is a failure.
      const labels = created.metadata?.labels ?? {};
      for (const [key, value] of Object.entries(mutationsOf(object).labels))
        if (labels[key] !== value) throw new Error(`${object.metadata?.name}: label ${key} was not set`);
      await client.request('PATCH', `${path}/${object.metadata!.name}`, {
        body: { metadata: { labels: { 'soak.prismgate.kappnav.io/round': String(n) } } },
        contentType: 'application/merge-patch+json',
      });
    });
    await this.count('vimanaWrites', () => client.request('DELETE', `${path}/${object.metadata!.name}`));
  }

  private async kappnavRound(namespace: string, n: number): Promise<void> {
    const { client } = this.target;
    const path = `/api/v1/namespaces/${namespace}/services`;
    const name = `soak-${n}`;
    const body = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: { app: 'soak' } },
      spec: { ports: [{ port: 80 }] },
    };
    if (await this.count('kappnavWrites', () => client.request('POST', path, { body })))
      await this.count('kappnavWrites', () => client.request('DELETE', `${path}/${name}`));
  }

  private async prismRound(): Promise<void> {
    for (const { name } of this.target.namespaces) {
      for (const resource of ['prismapplications', 'prismcomponents'])
        await this.count('prismLists', () =>
          this.target.client.request('GET', `/apis/prism.kappnav.io/v1/namespaces/${name}/${resource}`),
        );
    }
    await sleep(250);
  }

  /** Reviews of a Component, alternately validated and mutated, at a fixed rate whatever the latency. */
  private async reviews(): Promise<void> {
    const { namespaces, reviewsPerSecond } = this.target;
    const ns = namespaces[0]!;
    const body = createReview(component(ns.name, ns.domainId, 'payments', '3.0.0'), {
      group: 'api.vimana.host',
      version: 'v1alpha1',
      kind: 'Component',
      resource: 'components',
    });
    const inFlight = new Set<Promise<unknown>>();
    for (let n = 0; this.running; n++) {
      const path = n % 2 === 0 ? '/validate/vimana' : '/mutate/vimana';
      const sent = this.count('webhookReviews', () => this.review(path, body));
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      await sleep(1000 / reviewsPerSecond);
    }
    await Promise.all(inFlight);
  }

  private review(path: string, body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: this.target.webhookPort,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            res.statusCode === 200 && text.includes('"allowed":true')
              ? resolve()
              : reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 200)}`)),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 10 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
