/**
 * Deletion order (vimana-invariants.md §2.5 D1-D4): no owner references cascade between the Vimana
 * kinds, so deleting a parent first strands its children or cuts live traffic.
 *
 * None of these may ever deadlock the cluster: in a terminating namespace everything is let go, because
 * namespace deletion removes objects in no particular order and must finish; and an object that already
 * carries a deletionTimestamp holds nothing up, so finalizers waiting on a parent cannot lock each other.
 */
import { isBeingDeleted, readPath, readString } from '../fields.ts';
import { clip } from '../../../pkg/json/json-value.ts';
import { versionWeights, weightOf } from '../derived.ts';
import { componentsOfServer, serversOfComponent, serversOfDomain } from '../relations.ts';
import type { Finding } from '../violation.ts';
import type { RuleContext, VimanaRule } from './rule.ts';

function deletionRule(
  header: Pick<VimanaRule, 'name' | 'rule' | 'severity' | 'description' | 'kinds'>,
  check: (context: RuleContext) => Finding[],
): VimanaRule {
  return {
    ...header,
    operations: ['DELETE'],
    check: (context) => (context.view.isNamespaceTerminating(context.namespace) ? [] : check(context)),
  };
}

function live<T>(objects: readonly T[]): T[] {
  return objects.filter((object) => !isBeingDeleted(object));
}

function names(objects: readonly unknown[]): string {
  return clip(objects.map((object) => readString(object, 'metadata.name')).join(', '), 60);
}

/** The Components of the Server being deleted, and its weights. */
function serverDependants({ object, namespace, view }: RuleContext): {
  components: unknown[];
  weighted: boolean;
} {
  const domain = readString(object, 'spec.domain');
  const id = readString(object, 'spec.id');
  const components = domain && id ? live(componentsOfServer(view.components(namespace), domain, id)) : [];
  return { components, weighted: versionWeights(object).some(([, weight]) => weight > 0) };
}

/** D1: the operator treats "a server outlives its domain" as an error state. */
const domainWithServers = deletionRule(
  {
    name: 'domain-delete-without-servers',
    rule: 'D1',
    kinds: ['Domain'],
    severity: 'deny',
    description: 'A Domain is deleted only once no Server belongs to it',
  },
  ({ object, namespace, view }) => {
    const id = readString(object, 'spec.id');
    const servers = id ? live(serversOfDomain(view.servers(namespace), id)) : [];
    if (servers.length === 0) return [];
    return [
      { path: 'spec.id', value: id, expected: `still has Servers ${names(servers)}; delete them first` },
    ];
  },
);

/** D2, in the spec's weaker form: once all weights are 0 nothing is cut, so the Server may go. */
const serverWithTraffic = deletionRule(
  {
    name: 'server-delete-without-traffic',
    rule: 'D2',
    kinds: ['Server'],
    severity: 'deny',
    description: 'A Server with Components is deleted only once all its weights are 0',
  },
  (context) => {
    const { components, weighted } = serverDependants(context);
    if (components.length === 0 || !weighted) return [];
    const expected = `still sends traffic to Components ${names(components)}; set its weights to 0 first`;
    return [
      { path: 'spec.versionWeights', value: readPath(context.object, 'spec.versionWeights'), expected },
    ];
  },
);

const serverOrphans = deletionRule(
  {
    name: 'server-delete-orphans',
    rule: 'D2',
    kinds: ['Server'],
    severity: 'warn',
    description: 'Deleting an unweighted Server leaves its Components without a Server',
  },
  (context) => {
    const { components, weighted } = serverDependants(context);
    if (components.length === 0 || weighted) return [];
    const expected = `leaves Components ${names(components)} without a Server`;
    return [{ path: 'spec.id', value: readString(context.object, 'spec.id'), expected }];
  },
);

/** D3: deleting the Component deletes its Service, and that share of live traffic fails. */
const componentWithTraffic = deletionRule(
  {
    name: 'component-delete-without-traffic',
    rule: 'D3',
    kinds: ['Component'],
    severity: 'deny',
    description: 'A Component is deleted only once its version has weight 0',
  },
  ({ object, namespace, view }) => {
    const domain = readString(object, 'spec.domain');
    const server = readString(object, 'spec.server');
    const version = readString(object, 'spec.version');
    if (!domain || !server || version === undefined) return [];
    return live(serversOfComponent(view.servers(namespace), domain, server)).flatMap((owner): Finding[] => {
      const weight = weightOf(owner, version);
      if (weight === 0) return [];
      const expected = `still gets weight ${weight} from Server ${readString(owner, 'metadata.name')}; set it to 0 first`;
      return [{ path: 'spec.version', value: version, expected }];
    });
  },
);

/** D4: the Gateway is garbage-collected with its Vimana, taking every Domain's traffic with it. */
const vimanaWithDomains = deletionRule(
  {
    name: 'vimana-delete-without-domains',
    rule: 'D4',
    kinds: ['Vimana'],
    severity: 'deny',
    description: 'A Vimana is deleted only once its namespace has no Domains',
  },
  ({ object, namespace, view }) => {
    const domains = live(view.domains(namespace));
    if (domains.length === 0) return [];
    const expected = `still fronts Domains ${names(domains)}; delete them first`;
    return [{ path: 'metadata.name', value: readString(object, 'metadata.name'), expected }];
  },
);

export const deletionRules: readonly VimanaRule[] = [
  domainWithServers,
  serverWithTraffic,
  serverOrphans,
  componentWithTraffic,
  vimanaWithDomains,
];
