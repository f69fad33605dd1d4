/**
 * kube-apiserver's own view of admission: the sums and counts of its admission histograms (webhook calls
 * by webhook name, ValidatingAdmissionPolicy checks by policy), read from /metrics before and after a
 * step. The difference is the mean cost of one call as the API server waits for it: a webhook's round trip
 * (serialising the review, TLS, prismgate's answer) or an in-process CEL evaluation.
 */
import { kubectl } from './cluster.ts';

const HISTOGRAMS = {
  webhook: { metric: 'apiserver_admission_webhook_admission_duration_seconds', label: 'name' },
  policy: { metric: 'apiserver_validating_admission_policy_check_duration_seconds', label: 'policy' },
} as const;

type Totals = Map<string, { seconds: number; count: number }>;

export interface AdmissionCalls {
  /** By webhook name, or `policy:<name>` for a ValidatingAdmissionPolicy. */
  [caller: string]: { calls: number; meanMs: number };
}

function totals(text: string): Totals {
  const found: Totals = new Map();
  for (const [kind, { metric, label }] of Object.entries(HISTOGRAMS)) {
    const line = new RegExp(`^${metric}_(sum|count)\\{([^}]*)\\} (\\S+)$`, 'gm');
    for (const [, part, labels, value] of text.matchAll(line)) {
      const name = new RegExp(`${label}="([^"]*)"`).exec(labels ?? '')?.[1];
      if (!name) continue;
      const key = kind === 'policy' ? `policy:${name}` : name;
      const entry = found.get(key) ?? { seconds: 0, count: 0 };
      if (part === 'sum') entry.seconds += Number(value);
      else entry.count += Number(value);
      found.set(key, entry);
    }
  }
  return found;
}

/** Starts a record of admission calls; the returned function ends it with the calls since. */
export async function recordAdmissionCalls(kubeconfig: string): Promise<() => Promise<AdmissionCalls>> {
  const scrape = async () => totals(await kubectl(kubeconfig, 'get', '--raw', '/metrics'));
  const before = await scrape();
  return async () => {
    const calls: AdmissionCalls = {};
    for (const [caller, after] of await scrape()) {
      const count = after.count - (before.get(caller)?.count ?? 0);
      const seconds = after.seconds - (before.get(caller)?.seconds ?? 0);
      if (count > 0) calls[caller] = { calls: count, meanMs: Math.round((seconds / count) * 1e6) / 1e3 };
    }
    return calls;
  };
}
