/**
 * Whatever template a user gives `kubectlGet(…, -o, jsonpath=${input.t})` (issue 15, finding 8), over
 * whatever list it runs on, rendering costs a bounded amount of heap and event-loop time and ends in the
 * output, kubectl's reason for refusing the template, or a JsonPathLimitExceeded. Generous safety
 * bounds, not speed assertions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureWork } from '../../test/support/bounded-work.ts';
import { KubectlTemplateError, parseKubectlTemplate, renderKubectlTemplate } from './kubectl-template.ts';
import { JsonPathLimitExceeded } from './work-meter.ts';

const MAX_HEAP_GROWTH_MIB = 512;
const MAX_STALL_MS = 1000;

function item(index: number, depth: number): unknown {
  let spec: unknown = { name: `n${index}`, value: index };
  for (let i = 0; i < depth; i++) spec = { name: `d${i}`, child: spec, pad: 'p'.repeat(40) };
  return { metadata: { name: `item-${index}`, labels: { app: index % 2 ? 'a' : 'b' } }, spec };
}

const list = fc
  .tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 60 }))
  .map(([count, depth]) => ({
    apiVersion: 'v1',
    kind: 'List',
    items: Array.from({ length: count }, (_, i) => item(i, depth)),
  }));

const piece = fc.constantFrom(
  '{range .items[*]}',
  '{range ..}',
  '{range .spec..child}',
  '{end}',
  '{..name}',
  '{.items[*].metadata.name}',
  '{@}',
  '{$}',
  '{.items[?(@.metadata.labels.app=="a")].metadata.name}',
  '{.items[?(@.spec.value>10)]}',
  '{.items[-1:]}',
  '{.items[0,1,2].spec}',
  '{.metadata.name.match(/^(a+)+$/)}',
  '{"\\n"}',
  'text',
);
const template = fc.array(piece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join(''));

describe('bounded kubectl templates (property)', () => {
  it(
    'renders any template over any list within bounded heap and event-loop delay',
    { timeout: 300_000 },
    async () => {
      let maxHeapGrowthMiB = 0;
      let maxStallMs = 0;
      await fc.assert(
        fc.asyncProperty(template, list, async (text, document) => {
          const cost = await measureWork(() => renderKubectlTemplate(parseKubectlTemplate(text), document));
          if (cost.result instanceof Error)
            expect(
              cost.result instanceof KubectlTemplateError || cost.result instanceof JsonPathLimitExceeded,
            ).toBe(true);
          else expect(typeof cost.result).toBe('string');
          maxHeapGrowthMiB = Math.max(maxHeapGrowthMiB, cost.heapGrowthMiB);
          maxStallMs = Math.max(maxStallMs, cost.maxEventLoopDelayMs);
        }),
        { numRuns: 80 },
      );
      expect(maxHeapGrowthMiB).toBeLessThan(MAX_HEAP_GROWTH_MIB);
      expect(maxStallMs).toBeLessThan(MAX_STALL_MS);
    },
  );
});
