/**
 * The validating webhook that keeps an Application to what its author may list (issue 15, finding 5).
 *
 * An Application's componentKinds and `kappnav.component.namespaces` decide which objects prismgate
 * lists and counts into the status it writes (`kappnav.status.flyover`: "4 components: 1 Warning, …"),
 * which whoever may read the Application reads. So an Application in `dev` naming `prod` and the Secret
 * kind told `dev`'s editors how many Secrets of `prod` match any label selector they chose, and the
 * prism components then confirmed their names. Now an Application may only span what its author could
 * list with `kubectl`: on CREATE, and on an UPDATE that changes what it spans, the requesting user (the
 * AdmissionReview's userInfo) must be allowed `list` of every component kind in every namespace the
 * Application would count — its own and each annotated one the `app-namespaces` frontier permits, as the
 * status engine reads them (model/application.ts) — and cluster-wide for a cluster-scoped kind
 * (SubjectAccessReview, cached 10 s). A kind the cluster does not serve cannot be checked, so an
 * Application spanning other namespaces may not name one (kAppNav ignores such kinds, and would count
 * them once a CustomResourceDefinition serves them).
 *
 * Only an Application that reaches beyond its own namespace is judged (a matchCondition on the
 * annotation, so kube-apiserver sends no other): whoever may create Applications in a namespace is taken
 * to see the counts of what is there, and those Applications stay writable while prismgate is down
 * (`failurePolicy: Fail` holds for the others: a spanning Application cannot be written unchecked).
 *
 * Authorization is at write time, as Kubernetes authorizes a RoleBinding against its author's own
 * rights when it is written: an Application keeps counting what it spans when its author later loses a
 * right, and Applications admitted before this webhook existed are not re-judged until they are written
 * again (docs/security.md, "Applications"). An UPDATE that leaves the span as it was (a label, the
 * status annotations prismgate itself writes) is not checked: the author of the span was.
 */
import type { ResourceType } from '../../../pkg/kube/resource-type.ts';
import type { KubeObject } from '../../../pkg/kube/types.ts';
import type { User } from '../../../server/delegated-auth/user.ts';
import type { ResourceAttributes, Reviewer } from '../../../server/delegated-auth/access-review.ts';
import type { ValidatingEndpoint, Verdict, WebhookDeclaration } from '../../../webhook/admission-endpoint.ts';
import type { AdmissionRequest, StatusCause, UserInfo } from '../../../webhook/admission-review.ts';
import type { KappnavSource } from '../cluster/kappnav-source.ts';
import { APPLICATION_TYPE, COMPONENT_NAMESPACES_ANNOTATION, readApplication } from '../model/application.ts';
import { normalizeComponentKinds } from '../model/component-kinds.ts';

export const APPLICATION_SPAN_WEBHOOK = 'kappnav-application-span.validate.prismgate.kappnav.io';

const ANNOTATION_FIELD = `metadata.annotations[${COMPONENT_NAMESPACES_ANNOTATION}]`;
const RULE =
  'an Application may only span namespaces whose component kinds its author may list (issue 15, finding 5)';

/** What an Application counts: where, and which kinds; what it names that cannot be checked. */
interface Span {
  own: string;
  namespaces: string[];
  kinds: ResourceType[];
  unserved: { index: number; group: string; kind: string }[];
}

function userOf(info: UserInfo): User {
  return {
    name: info.username ?? '',
    ...(info.uid ? { uid: info.uid } : {}),
    groups: info.groups ?? [],
    extra: info.extra ?? {},
  };
}

/** Whether the Application counts anything outside its own namespace. */
const reachesBeyond = (span: Span) => span.namespaces.some((namespace) => namespace !== span.own);

const sameSpan = (a: Span, b: Span) =>
  a.namespaces.join() === b.namespaces.join() &&
  a.kinds.map((t) => `${t.group}/${t.kind}`).join() === b.kinds.map((t) => `${t.group}/${t.kind}`).join() &&
  a.unserved.length === b.unserved.length;

export class ApplicationSpanEndpoint implements ValidatingEndpoint {
  readonly type = 'validating';
  readonly name = 'kappnav-application-span';
  readonly path = '/validate/kappnav-application-span';

  constructor(
    private readonly cluster: Pick<KappnavSource, 'forKind' | 'kappnavConfig'>,
    private readonly reviewer: Reviewer,
  ) {}

  declaration(): WebhookDeclaration {
    return {
      name: APPLICATION_SPAN_WEBHOOK,
      rules: [
        {
          apiGroups: [APPLICATION_TYPE.group],
          apiVersions: ['*'],
          resources: [APPLICATION_TYPE.resource],
          operations: ['CREATE', 'UPDATE'],
        },
      ],
      // Only what may name other namespaces (blank entries name none; validate() reads the rest exactly).
      matchConditions: [
        {
          name: 'spans-other-namespaces',
          expression: `has(object.metadata.annotations) && '${COMPONENT_NAMESPACES_ANNOTATION}' in object.metadata.annotations && !object.metadata.annotations['${COMPONENT_NAMESPACES_ANNOTATION}'].matches('^[ ,]*$')`,
        },
      ],
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
    };
  }

  async validate(request: AdmissionRequest): Promise<Verdict> {
    const verdict: Verdict = { denials: [], warnings: [] };
    if (request.subResource || (request.operation !== 'CREATE' && request.operation !== 'UPDATE'))
      return verdict;
    const object = request.object;
    if (!object) return verdict;
    const span = this.spanOf(object, request.namespace);
    if (!reachesBeyond(span)) return verdict;
    if (
      request.operation === 'UPDATE' &&
      request.oldObject &&
      sameSpan(span, this.spanOf(request.oldObject, request.namespace))
    )
      return verdict;
    verdict.denials.push(
      ...this.unservedKinds(span),
      ...(await this.unlisted(userOf(request.userInfo), span)),
    );
    return verdict;
  }

  private spanOf(object: KubeObject, namespace: string | undefined): Span {
    const withNamespace = {
      ...object,
      metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? namespace },
    };
    const application = readApplication(withNamespace, this.cluster, this.cluster.kappnavConfig());
    const kinds = normalizeComponentKinds(
      (object.spec as { componentKinds?: unknown } | undefined)?.componentKinds,
      this.cluster,
    );
    return {
      own: application.namespace,
      namespaces: [...application.componentNamespaces].sort(),
      kinds: [...application.componentKinds],
      unserved: kinds.unserved,
    };
  }

  /** A kind no one can be checked for. */
  private unservedKinds(span: Span): StatusCause[] {
    return span.unserved.map(({ index, group, kind }) => ({
      field: `spec.componentKinds[${index}]`,
      message: `spec.componentKinds[${index}] "${group || 'core'}/${kind}": the cluster serves no such kind, so who may list it cannot be checked; ${RULE}, and so may name only served kinds when it counts namespaces besides its own`,
    }));
  }

  /** Every namespace and kind the user may not list, one denial each. */
  private async unlisted(user: User, span: Span): Promise<StatusCause[]> {
    const checks: { attributes: ResourceAttributes; field: string; where: string }[] = [];
    for (const type of span.kinds) {
      const base = { verb: 'list', group: type.group, resource: type.resource };
      if (!type.namespaced) {
        checks.push({ attributes: base, field: 'spec.componentKinds', where: 'cluster-wide' });
        continue;
      }
      for (const namespace of span.namespaces)
        checks.push({
          attributes: { ...base, namespace },
          field: namespace === span.own ? 'spec.componentKinds' : ANNOTATION_FIELD,
          where: namespace,
        });
    }
    const decisions = await Promise.all(
      checks.map((check) => this.reviewer.review(user, { resource: check.attributes })),
    );
    return checks.flatMap(({ attributes, field, where }, i) => {
      if (decisions[i]!.allowed) return [];
      const what = attributes.group ? `${attributes.resource}.${attributes.group}` : attributes.resource;
      const value = field === ANNOTATION_FIELD ? ` "${where}"` : '';
      const place = attributes.namespace ? `in namespace "${where}"` : where;
      return [
        {
          reason: 'FieldValueForbidden',
          field,
          message: `${field}${value}: the Application would count ${what} ${place}, which user "${user.name}" may not list; ${RULE}`,
        },
      ];
    });
  }
}
