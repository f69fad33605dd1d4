/**
 * The create-latency client, run as its own process (forked by create-latency.ts) as kubectl would be:
 * Component creates by server-side apply, one at a time, alternating between a namespace the webhooks
 * cover and one that opts out of them, so both see the same API server, etcd and background load
 * (prismgate's status writes included) at the same moments; which goes first alternates too.
 */
import { performance } from 'node:perf_hooks';
import { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../pkg/kube/resource-type.ts';
import { loadKubeConfig } from '../../../src/prismgate.ts';
import { VIMANA_RESOURCES } from '../../../webhook/vimana/resource-types.ts';
import { serveOneJob } from './child-job.ts';
import { component } from './fixture.ts';

export interface CreateTarget {
  namespace: string;
  domainId: string;
}

export interface CreateJob {
  kubeconfig: string;
  gated: CreateTarget;
  bypassed: CreateTarget;
  /** Creates measured per namespace, after `warmup` unmeasured ones. */
  creates: number;
  warmup: number;
}

export interface CreateSamples {
  gatedMs: number[];
  bypassedMs: number[];
}

async function create(client: KubeClient, target: CreateTarget, version: string): Promise<number> {
  const object = component(target.namespace, target.domainId, version);
  const path = objectPath(VIMANA_RESOURCES.Component, target.namespace, object.metadata?.name ?? '');
  const started = performance.now();
  await client.request('PATCH', path, {
    body: object,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'bench' },
  });
  return performance.now() - started;
}

async function run(job: CreateJob): Promise<CreateSamples> {
  const client = new KubeClient(loadKubeConfig(job.kubeconfig));
  const samples: CreateSamples = { gatedMs: [], bypassedMs: [] };
  for (let i = 0; i < job.warmup + job.creates; i++) {
    const version = `1.${i}.0`;
    const order = i % 2 === 0 ? (['gated', 'bypassed'] as const) : (['bypassed', 'gated'] as const);
    for (const side of order) {
      const ms = await create(client, job[side], version);
      if (i >= job.warmup) samples[side === 'gated' ? 'gatedMs' : 'bypassedMs'].push(ms);
    }
  }
  client.close();
  return samples;
}

serveOneJob(run);
