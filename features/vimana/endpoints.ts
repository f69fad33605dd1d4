/**
 * The Vimana feature's three admission endpoints and how the API server is told to call them:
 *
 * - `/validate/vimana`: every rule of the catalogue on CREATE, UPDATE and DELETE of the four kinds;
 * - `/mutate/vimana`: labels, Domain id generation and normalisation on CREATE and UPDATE (§3.2);
 * - `/mutate/vimana-status`: keeps prismgate's status fields through another writer's status update
 *   (status-fields.ts `keepPrismgateFields`): it never computes, and never touches what the writer set.
 *
 * The two mutating webhooks are called only when they would change something (mutate-condition.ts).
 */
import { performance } from 'node:perf_hooks';
import { isRecord } from '../../pkg/json/json-value.ts';
import type { KubeObject } from '../../pkg/kube/types.ts';
import type {
  AdmissionEndpoint,
  MatchCondition,
  MutatingEndpoint,
  ValidatingEndpoint,
  Verdict,
  WebhookRule,
} from '../../webhook/admission-endpoint.ts';
import type { AdmissionRequest } from '../../webhook/admission-review.ts';
import type { LiveClusterView } from './cached-cluster-view.ts';
import { evaluateVimana, type Evaluation } from './evaluate.ts';
import { mutateVimana } from './mutate.ts';
import { MUTATION_CHANGES, STATUS_DROPS_PRISMGATE_FIELDS } from './mutate-condition.ts';
import { VIMANA_RESOURCES, VIMANA_VERSION } from './resource-types.ts';
import { vimanaKind } from './request.ts';
import { keepPrismgateFields, STATUS_FIELD_MANAGER } from './status-fields.ts';
import { VIMANA_GROUP, VIMANA_KINDS } from './types.ts';
import { formatViolation } from './violation.ts';

export interface VimanaEndpointOptions {
  /**
   * How long a denial that rests on the cluster (a missing parent, a duplicate) waits for the caches to
   * catch up before it stands. The previous document of one `kubectl apply` reaches the informers a few
   * milliseconds after the API server answered it; without this wait a parent-first apply could fail.
   */
  settleMs?: number;
}

const PLURALS = VIMANA_KINDS.map((kind) => VIMANA_RESOURCES[kind].resource);

function rule(resources: string[], operations: WebhookRule['operations']): WebhookRule {
  return {
    apiGroups: [VIMANA_GROUP],
    apiVersions: [VIMANA_VERSION],
    resources,
    operations,
    scope: 'Namespaced',
  };
}

/**
 * Deletions these users make follow from a decision already taken (a namespace was deleted, an owner is
 * gone). Judging them could only stall the namespace controller or the garbage collector forever.
 */
const CONSEQUENTIAL_DELETERS = [
  'system:serviceaccount:kube-system:namespace-controller',
  'system:serviceaccount:kube-system:generic-garbage-collector',
  // kube-controller-manager without --use-service-account-credentials acts under its own name.
  'system:kube-controller-manager',
];

const NOT_CONSEQUENTIAL_DELETE: MatchCondition = {
  name: 'not-a-consequential-delete',
  expression: `!(request.operation == 'DELETE' && request.userInfo.username in ${JSON.stringify(CONSEQUENTIAL_DELETERS)})`,
};

/**
 * An UPDATE that changes neither spec nor labels (a finalizer removed, an annotation set) can change no
 * verdict: every rule reads only those, and ratcheting forgives what the stored object already had. Not
 * calling the webhook then keeps finalizers removable even while prismgate is down. CEL errors deny under
 * failurePolicy Fail, so absent fields are compared as null rather than read.
 */
const SPEC_OR_LABELS_CHANGE: MatchCondition = {
  name: 'spec-or-labels-change',
  expression: [
    "request.operation != 'UPDATE'",
    '(has(object.spec) ? object.spec : null) != (has(oldObject.spec) ? oldObject.spec : null)',
    '(has(object.metadata.labels) ? object.metadata.labels : null) != ' +
      '(has(oldObject.metadata.labels) ? oldObject.metadata.labels : null)',
  ].join(' || '),
};

/**
 * How long the API server waits for an answer. The webhook server cuts an evaluation at 2.5 s and denies
 * saying why, so a person reads prismgate's reason rather than a timeout.
 */
const TIMEOUT_SECONDS = 3;

/** How long a review waits for the caches' first lists before failing closed (within those 2.5 s). */
const SYNC_WAIT_MS = 2_000;

/** The view, once there is one; undefined while the Vimana CRDs are not served (the feature waits for them). */
export type ViewSource = () => LiveClusterView | undefined;

/** Admission must not judge from half a cache: it waits for the first lists, then fails closed. */
async function syncedView(source: ViewSource): Promise<LiveClusterView> {
  const view = source();
  if (!view)
    throw new Error(
      'the Vimana CRDs were not installed when prismgate last looked (see docs/vimana-operator.md)',
    );
  const deadline = performance.now() + SYNC_WAIT_MS;
  while (!view.synced && performance.now() < deadline) await view.nextChange(deadline - performance.now());
  if (!view.synced) throw new Error('the Vimana caches have not completed their first list yet');
  return view;
}

export function vimanaEndpoints(
  source: ViewSource,
  options: VimanaEndpointOptions = {},
): AdmissionEndpoint[] {
  const settleMs = options.settleMs ?? 500;

  const validating: ValidatingEndpoint = {
    type: 'validating',
    name: 'vimana',
    path: '/validate/vimana',
    declaration: () => ({
      name: 'vimana.validate.prismgate.kappnav.io',
      rules: [rule(PLURALS, ['CREATE', 'UPDATE', 'DELETE'])],
      matchConditions: [NOT_CONSEQUENTIAL_DELETE, SPEC_OR_LABELS_CHANGE],
      failurePolicy: 'Fail',
      timeoutSeconds: TIMEOUT_SECONDS,
    }),
    // Synchronous when the caches are synced and the verdict does not rest on them: the common case, and
    // then the server needs no promise and no deadline timer for it.
    validate: (request) => {
      const view = source();
      if (view?.synced) {
        const evaluation = evaluateVimana(request, view);
        return evaluation.clusterDependent ? settled(request, view, evaluation) : verdictOf(evaluation);
      }
      return syncedView(source).then((synced) => settled(request, synced, evaluateVimana(request, synced)));
    },
  };

  /** The verdict once the caches had `settleMs` to catch up with a denial that rests on them. */
  async function settled(
    request: AdmissionRequest,
    view: LiveClusterView,
    first: Evaluation,
  ): Promise<Verdict> {
    let evaluation = first;
    const deadline = performance.now() + settleMs;
    while (evaluation.clusterDependent && performance.now() < deadline) {
      await view.nextChange(deadline - performance.now());
      evaluation = evaluateVimana(request, view);
    }
    return verdictOf(evaluation);
  }

  const mutating: MutatingEndpoint = {
    type: 'mutating',
    name: 'vimana-mutate',
    path: '/mutate/vimana',
    declaration: () => ({
      name: 'vimana.mutate.prismgate.kappnav.io',
      rules: [rule(PLURALS, ['CREATE', 'UPDATE'])],
      matchConditions: [SPEC_OR_LABELS_CHANGE, MUTATION_CHANGES],
      failurePolicy: 'Fail',
      timeoutSeconds: TIMEOUT_SECONDS,
      // Another webhook changing the spec after this one would leave the labels behind.
      reinvocationPolicy: 'IfNeeded',
    }),
    mutate: (request, object) => {
      const { object: mutated, warnings } = mutateVimana({ ...request, object });
      // The server turns the difference into a JSON Patch; kinds this module does not own come back as they were.
      return { object: mutated as KubeObject, warnings };
    },
  };

  const status: MutatingEndpoint = {
    type: 'mutating',
    name: 'vimana-status',
    path: '/mutate/vimana-status',
    declaration: () => ({
      name: 'vimana-status.mutate.prismgate.kappnav.io',
      rules: [
        rule(
          PLURALS.map((plural) => `${plural}/status`),
          ['UPDATE'],
        ),
      ],
      matchConditions: [STATUS_DROPS_PRISMGATE_FIELDS],
      // prismgate's fields decorate; they must never block the operator's own status writes.
      failurePolicy: 'Ignore',
      timeoutSeconds: TIMEOUT_SECONDS,
    }),
    mutate: (request, object) => keepStatusFields(request, object),
  };

  return [validating, mutating, status];
}

function verdictOf(evaluation: Evaluation): Verdict {
  return {
    denials: evaluation.denials.map((violation) => ({
      field: violation.path,
      message: formatViolation(violation),
    })),
    warnings: evaluation.warnings.map(formatViolation),
  };
}

/** The field manager a write names (PatchOptions, UpdateOptions), if any. */
function fieldManagerOf(request: AdmissionRequest): string | undefined {
  const options = request.options;
  return isRecord(options) && typeof options['fieldManager'] === 'string'
    ? options['fieldManager']
    : undefined;
}

/**
 * Another writer's status update keeps what prismgate holds. prismgate's own apply is left as it is: what
 * it leaves out, it means to remove.
 */
function keepStatusFields(request: AdmissionRequest, object: KubeObject) {
  const kind = vimanaKind(request.kind);
  if (!kind || request.subResource !== 'status' || !request.oldObject) return undefined;
  if (fieldManagerOf(request) === STATUS_FIELD_MANAGER) return undefined;
  const status = keepPrismgateFields(kind, object['status'], request.oldObject);
  if (!status) return undefined;
  object['status'] = status;
  return { object, warnings: [] };
}
