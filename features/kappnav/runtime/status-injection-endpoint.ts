/**
 * The mutating webhook that stores kAppNav status as an object is written (kappnav-prism.md §4.5,
 * "INFERRED mapping"): on CREATE and UPDATE of an application, or of a resource that is a component of
 * one, it sets `kappnav.status.value`, `.flyover` and `.flyover.nls`, so `kubectl get` shows a status from
 * the first moment. Ancestors are the reconciler's work: a webhook may not write other objects (dry runs
 * must stay free of side effects), and it answers before the object is stored.
 *
 * Status is informational, so this webhook never stands in anybody's way: it never denies, gives up
 * (leaving the object as it is, for the reconciler to complete) when the informers have not listed yet or
 * when a status takes longer than its deadline, and is registered with `failurePolicy: Ignore`, so the API
 * server goes on without it when prismgate is down. Its rules name only applications and the kinds that
 * applications name as componentKinds, and follow them as applications come and go, so requests for other
 * kinds never reach it.
 */
import type { Logger } from 'pino';
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { APPLICATION_TYPE } from '../model/application.ts';
import { referenceOf } from '../model/object-identity.ts';
import { OverlayClusterView } from '../model/overlay-cluster-view.ts';
import type { KappnavStatus } from '../status/kappnav-status.ts';
import {
  applyAnnotationChange,
  differsOnlyInStatus,
  statusAnnotationChange,
} from '../status/status-annotations.ts';
import type {
  MutatingEndpoint,
  Mutation,
  WebhookDeclaration,
  WebhookRule,
} from '../../../webhook/admission-endpoint.ts';
import type { AdmissionRequest } from '../../../webhook/admission-review.ts';
import { isSecretType } from '../cluster/kappnav-source.ts';
import type { KappnavRuntime } from './kappnav-runtime.ts';

export const STATUS_INJECTION_WEBHOOK = 'kappnav-status.mutate.prismgate.kappnav.io';

/**
 * Well below the webhook server's own budget, which denies when it runs out (it fails closed for the
 * rules that must): this webhook rather lets the object through without status.
 */
const DEADLINE_MS = 1000;

/**
 * CREATE and UPDATE of applications and of the given kinds, one rule per API group, in a stable order;
 * never Secrets, which kAppNav holds without their data (isSecretType).
 */
export function injectionRules(kinds: readonly ResourceType[]): WebhookRule[] {
  const resources = new Map<string, Set<string>>();
  for (const type of [APPLICATION_TYPE, ...kinds.filter((kind) => !isSecretType(kind))]) {
    let group = resources.get(type.group);
    if (!group) resources.set(type.group, (group = new Set()));
    group.add(type.resource);
  }
  return [...resources.keys()].sort().map((group) => ({
    apiGroups: [group],
    apiVersions: ['*'],
    resources: [...resources.get(group)!].sort(),
    operations: ['CREATE', 'UPDATE'],
  }));
}

export interface StatusInjectionOptions {
  runtime: Pick<KappnavRuntime, 'cluster' | 'problems' | 'evaluation'>;
  log: Logger;
  deadlineMs?: number;
}

export class StatusInjectionEndpoint implements MutatingEndpoint {
  readonly type = 'mutating';
  readonly name = 'kappnav-status';
  readonly path = '/mutate/kappnav-status';
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: StatusInjectionOptions) {}

  declaration(): WebhookDeclaration {
    return {
      name: STATUS_INJECTION_WEBHOOK,
      rules: injectionRules(this.options.runtime.cluster.componentKinds()),
      failurePolicy: 'Ignore',
      timeoutSeconds: 2,
      // Another webhook may set the labels that make an object a component; then ours runs again.
      reinvocationPolicy: 'IfNeeded',
    };
  }

  onRulesChanged(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Called when the componentKinds that applications name changed. */
  rulesChanged(): void {
    for (const listener of this.listeners) listener();
  }

  async mutate(request: AdmissionRequest, object: KubeObject): Promise<Mutation | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.deadlineMs ?? DEADLINE_MS);
    });
    try {
      const status = await Promise.race([this.statusFor(request, object), deadline]);
      if (!status) return undefined;
      const change = statusAnnotationChange(object.metadata?.annotations, status);
      if (!change) return undefined;
      object.metadata = {
        ...object.metadata,
        annotations: applyAnnotationChange(object.metadata?.annotations, change),
      };
      return { object, warnings: [] };
    } catch (error) {
      this.options.log.error(
        { err: error, kind: request.kind.kind, namespace: request.namespace, name: request.name },
        'kAppNav status injection failed; the object is admitted without status',
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The status `object` should carry, or undefined when it carries none or it cannot be told now. */
  private async statusFor(request: AdmissionRequest, object: KubeObject): Promise<KappnavStatus | undefined> {
    const { cluster, problems } = this.options.runtime;
    if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return undefined;
    if (request.subResource || !cluster.synced()) return undefined;
    // The echo of a status write, or a user's edit of the status alone: nothing to recompute.
    if (request.oldObject && differsOnlyInStatus(request.oldObject, object)) return undefined;
    // The object is not stored yet: the informers' view gets it overlaid, its namespace from the request.
    const subject: KubeObject = {
      ...object,
      metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? request.namespace },
    };
    const view = new OverlayClusterView(cluster, referenceOf(subject), subject);
    const evaluation = this.options.runtime.evaluation(view);
    const [stored] = await evaluation.storableStatuses([subject]);
    problems.report(evaluation.problems);
    return stored?.status;
  }
}
