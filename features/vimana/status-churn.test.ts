import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { StatusChurnWatch } from './status-churn.ts';
import { STATUS_FIELD_MANAGER } from './status-fields.ts';

/** A version of a Domain whose status `manager` wrote at `second`. */
function version(manager: string, second: number, message: string): KubeObject {
  return {
    kind: 'Domain',
    metadata: {
      name: 'd',
      namespace: 'acme',
      managedFields: [
        {
          manager,
          operation: 'Update',
          subresource: 'status',
          time: `2025-11-09T19:00:${String(second).padStart(2, '0')}Z`,
          fieldsV1: { 'f:status': { 'f:conditions': {} } },
        },
      ],
    },
    status: { conditions: [{ type: 'Available', message }] },
  };
}

describe('StatusChurnWatch', () => {
  it("counts other managers' status writes, and logs a loop once, naming the manager", async () => {
    const lines: { msg: string; managers?: string[] }[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const registry = new Registry();
    const watch = new StatusChurnWatch(log, registry);
    let previous = version('manager', 0, 'm0');
    for (let i = 1; i <= 40; i += 1) {
      // A loop rewrites the same fields: after its first write its entry is no longer stamped anew.
      const next = version('manager', i < 20 ? i : 20, `m${i}`);
      watch.observe('Domain', previous, next);
      previous = next;
    }
    // prismgate's own writes, and events that leave status alone, are not counted.
    watch.observe('Domain', previous, version(STATUS_FIELD_MANAGER, 59, 'x'));
    watch.observe('Domain', previous, {
      ...previous,
      metadata: { ...previous.metadata, labels: { a: 'b' } },
    });
    const metric = await registry.getSingleMetric('prismgate_vimana_status_writes_observed_total')?.get();
    expect(metric?.values).toEqual([{ labels: { kind: 'Domain', manager: 'manager' }, value: 40 }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.managers).toEqual(['manager']);
    expect(lines[0]?.msg).toMatch(/rewritten more than 30 times a minute by manager/);
  });
});
