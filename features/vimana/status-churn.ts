/**
 * Status writes by others, watched: a controller that rewrites a Vimana object's status in a loop (a
 * bug in it, or two controllers undoing each other) costs every watcher of the kind an event per write
 * and etcd a write each time. prismgate writes none of it, but it sees every write in its informers and
 * says so: each write by another field manager is counted in `prismgate_vimana_status_writes_observed_total`
 * (by kind and manager), and an object whose status another manager rewrites faster than a reconciling
 * controller ever should is logged, once a minute per object, naming the manager.
 */
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { sameJson } from '../../pkg/json/json-value.ts';
import { managedFieldsOf, writersOf } from '../../pkg/kube/managed-fields.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { KeyRateLimiter } from '../../pkg/rate-limit/key-rate-limiter.ts';
import { OncePerInterval } from '../../pkg/rate-limit/once-per-interval.ts';
import { STATUS_FIELD_MANAGER } from './status-fields.ts';
import type { VimanaKind } from './types.ts';

/** A status write whose writer managedFields cannot name at all. */
const UNNAMED = '(unnamed)';

/**
 * The managers a status write is put down to. A manager's entry is stamped only when its fields change,
 * so a controller rewriting the same fields again and again (a loop) stamps nothing after its first
 * write: such writes are put down to the other manager whose status entry was stamped last.
 */
function statusWriters(old: KubeObject, object: KubeObject): string[] {
  const stamped = writersOf(old, object).filter((entry) => entry.subresource === 'status');
  if (stamped.length > 0) return stamped.map((entry) => entry.manager ?? UNNAMED);
  const latest = managedFieldsOf(object)
    .filter((entry) => entry.subresource === 'status' && entry.manager !== STATUS_FIELD_MANAGER)
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0];
  return [latest?.manager ?? UNNAMED];
}

/**
 * How many status writes by others one object may see in a minute before it is called a loop: a
 * controller writes a status when something changed, a few times for a change.
 */
const LOOP_THRESHOLD = { burst: 30, perMinute: 30 };

const REPORT_INTERVAL_MS = 60_000;

export class StatusChurnWatch {
  private readonly observed: Counter<'kind' | 'manager'>;
  private readonly budget = new KeyRateLimiter(LOOP_THRESHOLD);
  private readonly reported = new OncePerInterval(REPORT_INTERVAL_MS);

  constructor(
    private readonly log: Logger,
    registry?: Registry,
  ) {
    this.observed = new Counter({
      name: 'prismgate_vimana_status_writes_observed_total',
      help: 'Status writes to Vimana objects by other field managers, as prismgate observes them in its informers',
      labelNames: ['kind', 'manager'],
      registers: registry ? [registry] : [],
    });
  }

  /** One informer event of a Vimana kind: `old` is the version before, `object` the one after. */
  observe(kind: VimanaKind, old: KubeObject | undefined, object: KubeObject): void {
    if (!old || sameJson(old['status'], object['status'])) return;
    const others = statusWriters(old, object).filter((manager) => manager !== STATUS_FIELD_MANAGER);
    if (others.length === 0) return;
    for (const manager of others) this.observed.inc({ kind, manager });
    const key = `${kind}/${object.metadata?.namespace}/${object.metadata?.name}`;
    if (this.budget.take(key).allowed || !this.reported.allow(key)) return;
    this.log.warn(
      { kind, namespace: object.metadata?.namespace, name: object.metadata?.name, managers: others },
      `the status of this ${kind} is rewritten more than ${LOOP_THRESHOLD.perMinute} times a minute by ` +
        `${others.join(', ')}: a status loop in that controller? prismgate writes none of it ` +
        '(prismgate_vimana_status_writes_observed_total)',
    );
  }
}
