/**
 * What the Vimana feature does to the cluster, as metrics: every status and finalizer write with its
 * outcome, the writes the per-object rate limit held back (a non-zero rate means something undoes
 * prismgate's writes), the fields it left to other managers, and which CRDs it found installed.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * How a write ended: applied; the object gone; a newer version read meanwhile; a field another manager
 * holds; refused as invalid; or accepted with fields the served schema pruned (the API server serves a
 * changed CRD schema a moment after the CRD object changes).
 */
export type WriteOutcome = 'applied' | 'gone' | 'stale' | 'conflict' | 'invalid' | 'pruned';

export class VimanaMetrics {
  readonly writes: Counter<'kind' | 'write' | 'outcome'>;
  readonly limited: Counter<'kind' | 'write'>;
  readonly yielded: Counter<'kind'>;
  readonly crdInstalled: Gauge<'crd'>;
  readonly writableStatusFields: Gauge<'kind'>;

  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.writes = new Counter({
      name: 'prismgate_vimana_writes_total',
      help: 'Writes prismgate made to Vimana objects (write=status|finalizer), by outcome',
      labelNames: ['kind', 'write', 'outcome'],
      registers,
    });
    this.limited = new Counter({
      name: 'prismgate_vimana_writes_rate_limited_total',
      help: 'Writes held back by the per-object rate limit: something keeps undoing what prismgate writes',
      labelNames: ['kind', 'write'],
      registers,
    });
    this.yielded = new Counter({
      name: 'prismgate_vimana_status_fields_yielded_total',
      help: 'Status fields prismgate computed but left to another field manager that holds them',
      labelNames: ['kind'],
      registers,
    });
    this.crdInstalled = new Gauge({
      name: 'prismgate_vimana_crd_installed',
      help: 'Whether a CRD the Vimana feature follows is installed (1) or not (0)',
      labelNames: ['crd'],
      registers,
    });
    this.writableStatusFields = new Gauge({
      name: 'prismgate_vimana_status_fields_writable',
      help: "How many of prismgate's status fields (its condition included) the installed CRD schema keeps",
      labelNames: ['kind'],
      registers,
    });
  }
}
