/**
 * Deletion order (vimana-invariants.md §2.5 D1-D4) kept by in-use protection, the way Kubernetes keeps a
 * PersistentVolumeClaim that a Pod uses: a delete is always accepted, with a warning naming what still
 * uses the object, and the object stays in Terminating (held by prismgate's finalizer, see
 * protection-reconciler.ts) until nothing does. Refusing the delete instead broke `kubectl delete -f` of
 * a whole manifest, which deletes in file order: every parent was refused because its children, deleted
 * by later documents of the same command, still existed.
 *
 * No hold may ever deadlock: in a terminating namespace nothing is held (namespace deletion must finish);
 * and a Component is held only by a Server that is not itself being deleted, which breaks the one cycle
 * (a weighted Server holds on to its Components' traffic, and its Components hold the Server).
 *
 * Each rule here is both the warning at delete time and the test the protection controller applies:
 * `inUse` runs the holding rules (severity `hold`) against the cluster as it is now.
 */
import { isBeingDeleted, readPath, readString } from '../fields.ts';
import { clip } from '../../../pkg/json/json-value.ts';
import type { VimanaClusterView } from '../cluster-view.ts';
import { weightOf } from '../derived.ts';
import { componentsOfServer, serversOfComponent, serversOfDomain } from '../relations.ts';
import type { VimanaKind } from '../types.ts';
import type { Finding } from '../violation.ts';
import type { RuleContext, VimanaRule } from './rule.ts';

/** What a hold says after naming the dependants: the delete went through, the object waits. */
const HELD = 'it stays Terminating until they are gone';

function protectionRule(
  header: Pick<VimanaRule, 'name' | 'rule' | 'description' | 'kinds'>,
  check: (context: RuleContext) => Finding[],
): VimanaRule {
  return {
    ...header,
    operations: ['DELETE'],
    severity: 'warn',
    check: (context) => (context.view.isNamespaceTerminating(context.namespace) ? [] : check(context)),
  };
}

function live<T>(objects: readonly T[]): T[] {
  return objects.filter((object) => !isBeingDeleted(object));
}

function names(objects: readonly unknown[]): string {
  return clip(objects.map((object) => readString(object, 'metadata.name')).join(', '), 60);
}

/** The Components of the Server under review whose version it still sends traffic to. */
function trafficOfServer({ object, namespace, view }: RuleContext): { weighted: unknown[]; all: unknown[] } {
  const domain = readString(object, 'spec.domain');
  const id = readString(object, 'spec.id');
  const all = domain && id ? componentsOfServer(view.components(namespace), domain, id) : [];
  const weighted = all.filter((component) => {
    const version = readString(component, 'spec.version');
    return version !== undefined && weightOf(object, version) > 0;
  });
  return { weighted, all };
}

/** D1: the operator treats "a server outlives its domain" as an error state. */
const domainInUse = protectionRule(
  {
    name: 'domain-in-use',
    rule: 'D1',
    kinds: ['Domain'],
    description: 'A Domain stays (Terminating) while Servers belong to it',
  },
  ({ object, namespace, view }) => {
    const id = readString(object, 'spec.id');
    const servers = id ? serversOfDomain(view.servers(namespace), id) : [];
    if (servers.length === 0) return [];
    return [{ path: 'spec.id', value: id, expected: `is in use by Servers ${names(servers)}; ${HELD}` }];
  },
);

/** D2, in the spec's weaker form: a Server that still routes traffic to its Components keeps routing it. */
const serverInUse = protectionRule(
  {
    name: 'server-in-use',
    rule: 'D2',
    kinds: ['Server'],
    description: 'A Server stays (Terminating) while it sends traffic to Components that exist',
  },
  (context) => {
    const { weighted } = trafficOfServer(context);
    if (weighted.length === 0) return [];
    const expected = `sends traffic to Components ${names(weighted)}; ${HELD}`;
    return [
      { path: 'spec.versionWeights', value: readPath(context.object, 'spec.versionWeights'), expected },
    ];
  },
);

/** D3: deleting the Component deletes its Service, and that share of live traffic fails. */
const componentInUse = protectionRule(
  {
    name: 'component-in-use',
    rule: 'D3',
    kinds: ['Component'],
    description: 'A Component stays (Terminating) while a Server not being deleted gives its version weight',
  },
  ({ object, namespace, view }) => {
    const domain = readString(object, 'spec.domain');
    const server = readString(object, 'spec.server');
    const version = readString(object, 'spec.version');
    if (!domain || !server || version === undefined) return [];
    return live(serversOfComponent(view.servers(namespace), domain, server)).flatMap((owner): Finding[] => {
      const weight = weightOf(owner, version);
      if (weight === 0) return [];
      const expected = `gets weight ${weight} from Server ${readString(owner, 'metadata.name')}; ${HELD} or the weight is 0`;
      return [{ path: 'spec.version', value: version, expected }];
    });
  },
);

/** D4: the Gateway is garbage-collected with its Vimana, taking every Domain's traffic with it. */
const vimanaInUse = protectionRule(
  {
    name: 'vimana-in-use',
    rule: 'D4',
    kinds: ['Vimana'],
    description: 'A Vimana stays (Terminating) while its namespace has Domains',
  },
  ({ object, namespace, view }) => {
    const domains = view.domains(namespace);
    if (domains.length === 0) return [];
    const expected = `fronts Domains ${names(domains)}; ${HELD}`;
    return [{ path: 'metadata.name', value: readString(object, 'metadata.name'), expected }];
  },
);

/** Not a hold: an unweighted Server may go, but its Components are left without one. */
const serverOrphans = protectionRule(
  {
    name: 'server-delete-orphans',
    rule: 'D2',
    kinds: ['Server'],
    description: 'Deleting a Server that sends no traffic leaves its Components without a Server',
  },
  (context) => {
    const { weighted, all } = trafficOfServer(context);
    const orphans = live(all);
    if (orphans.length === 0 || weighted.length > 0) return [];
    const expected = `leaves Components ${names(orphans)} without a Server`;
    return [{ path: 'spec.id', value: readString(context.object, 'spec.id'), expected }];
  },
);

/** The rules that hold an object: what `inUse` asks. */
const HOLDS: readonly VimanaRule[] = [domainInUse, serverInUse, componentInUse, vimanaInUse];

export const deletionRules: readonly VimanaRule[] = [...HOLDS, serverOrphans];

/**
 * What keeps an object of `kind` from going now: one finding per hold, none when it may go. Read against
 * the cluster as it is, so a hold ends as soon as the last dependant is gone.
 */
export function inUse(
  kind: VimanaKind,
  namespace: string,
  object: unknown,
  view: VimanaClusterView,
): Finding[] {
  const context: RuleContext = {
    kind,
    operation: 'DELETE',
    namespace,
    name: readString(object, 'metadata.name') ?? '',
    object,
    oldObject: undefined,
    view,
  };
  return HOLDS.filter((rule) => rule.kinds.includes(kind)).flatMap((rule) => rule.check(context));
}
