/**
 * The pre-flight of the end-to-end comparison: before anything is timed, every gate is shown the same
 * objects through kube-apiserver (dry-run creates: nothing is stored) — the invalid examples of
 * vimana-invariants.md §4.2 that break a rule the benchmark covers (test/support/vimana/invalid-examples.ts),
 * and valid objects — and the run records which it denied and which it admitted. A gate's latency means
 * something only if it denies what the others deny; the report shows every disagreement.
 *
 * An example the baseline (no webhook, no policy) already refuses is refused by the CRD's own schema, not
 * by any gate; it proves nothing about the gates and is counted apart.
 *
 * An invalid example a gate admits with its spec changed was corrected by the gate's own mutation, as
 * vimana-invariants.md §3.2 asks of prismgate (an empty Domain id is generated, hostnames are lower-cased):
 * kube-apiserver validates after mutating, so what is stored is valid. That is counted apart too, with the
 * stored value, rather than as a disagreement; an invalid example admitted unchanged is one.
 */
import { sameJson } from '../../pkg/json/json-value.ts';
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { collectionPath } from '../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { VIMANA_RESOURCES } from '../../features/vimana/resource-types.ts';
import type { VimanaKind } from '../../features/vimana/types.ts';
import { INVALID_EXAMPLES } from '../../test/support/vimana/invalid-examples.ts';
import { validSamples } from '../scenarios/admission/fixture.ts';
import type { VimanaNamespace } from '../scenarios/admission/vimana-namespace.ts';
import { CEL_COVERS } from './cel-rules.ts';

type Verdict = 'denied' | 'admitted';

interface Case {
  title: string;
  expected: Verdict;
  object: (target: VimanaNamespace) => KubeObject;
}

export interface Mismatch {
  title: string;
  expected: Verdict;
  got: Verdict;
  /** The gate's message when it denied. */
  message?: string;
}

/** An invalid example the gate admitted after its own mutation changed the spec. */
export interface Correction {
  title: string;
  /** The spec as sent, and as the gate's mutation left it (JSON). */
  sent: string;
  stored: string;
}

export interface GatePreflight {
  /** Denied every invalid example (or corrected it) and admitted every valid object. */
  agrees: boolean;
  deniedInvalid: number;
  admittedValid: number;
  /** Absent in results from before corrections were told apart. */
  corrections?: Correction[];
  mismatches: Mismatch[];
}

export interface Preflight {
  rules: string;
  /** Invalid examples the baseline admits (so a gate has to deny them), and valid objects. */
  invalid: number;
  valid: number;
  /** Examples the CRD schema already refuses (the baseline denies them): not evidence about any gate. */
  refusedBySchema: string[];
  gates: Record<string, GatePreflight>;
}

const COVERED = new Set(CEL_COVERS.split(/[\s/]+/));

function cases(): Case[] {
  const invalid: Case[] = INVALID_EXAMPLES.filter(
    (example) => COVERED.has(example.rule) && (example.operation ?? 'CREATE') === 'CREATE',
  ).map((example) => ({
    title: `${example.title} (${example.rule})`,
    expected: 'denied',
    object: ({ namespace }) => ({ ...example.object, metadata: { ...example.object.metadata, namespace } }),
  }));
  const valid: Case[] = validSamples('preflight', '').map((sample, i) => ({
    title: `valid ${sample.kind}`,
    expected: 'admitted',
    object: (target) => validSamples(target.namespace, target.domainId)[i]!,
  }));
  return [...invalid, ...valid];
}

interface Answer {
  verdict: Verdict;
  /** The gate's message when it denied. */
  message?: string;
  /** The spec kube-apiserver would store, when admitted. */
  storedSpec?: unknown;
}

/** What kube-apiserver answers a dry-run create of `object`: admitted (stored, or a name clash after admission) or denied. */
async function verdict(client: KubeClient, object: KubeObject): Promise<Answer> {
  const path = collectionPath(VIMANA_RESOURCES[object.kind as VimanaKind], object.metadata?.namespace);
  try {
    const stored = await client.request<KubeObject>('POST', path, { body: object, query: { dryRun: 'All' } });
    return { verdict: 'admitted', storedSpec: stored['spec'] };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    // AlreadyExists comes from storage, after admission passed.
    if (error.code === 409) return { verdict: 'admitted' };
    if (error.code >= 400 && error.code < 500) return { verdict: 'denied', message: error.message };
    throw error;
  }
}

export async function preflight(
  client: KubeClient,
  baseline: VimanaNamespace,
  gates: Record<string, VimanaNamespace>,
): Promise<Preflight> {
  const all = cases();
  const refusedBySchema: string[] = [];
  const checked: Case[] = [];
  /** What the baseline stores of each checked example: the CRD's own defaulting is no gate's correction. */
  const baselineSpecs = new Map<Case, unknown>();
  for (const example of all) {
    const base = await verdict(client, example.object(baseline));
    if (example.expected === 'denied' && base.verdict === 'denied') refusedBySchema.push(example.title);
    else {
      checked.push(example);
      baselineSpecs.set(example, base.storedSpec);
    }
  }
  const judged = await Promise.all(
    Object.entries(gates).map(async ([gate, target]) => {
      const mismatches: Mismatch[] = [];
      const corrections: Correction[] = [];
      let deniedInvalid = 0;
      let admittedValid = 0;
      for (const example of checked) {
        const object = example.object(target);
        const answer = await verdict(client, object);
        const corrected =
          example.expected === 'denied' &&
          answer.storedSpec !== undefined &&
          !sameJson(answer.storedSpec, baselineSpecs.get(example));
        if (corrected) {
          corrections.push({
            title: example.title,
            sent: JSON.stringify(object['spec']),
            stored: JSON.stringify(answer.storedSpec),
          });
        } else if (answer.verdict === example.expected) {
          if (answer.verdict === 'denied') deniedInvalid += 1;
          else admittedValid += 1;
        } else {
          mismatches.push({
            title: example.title,
            expected: example.expected,
            got: answer.verdict,
            ...(answer.message ? { message: answer.message.slice(0, 300) } : {}),
          });
        }
      }
      const result: GatePreflight = {
        agrees: mismatches.length === 0,
        deniedInvalid,
        admittedValid,
        corrections,
        mismatches,
      };
      return [gate, result] as const;
    }),
  );
  return {
    rules: CEL_COVERS,
    invalid: checked.filter((c) => c.expected === 'denied').length,
    valid: checked.filter((c) => c.expected === 'admitted').length,
    refusedBySchema,
    gates: Object.fromEntries(judged),
  };
}
