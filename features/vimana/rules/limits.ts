/**
 * Capacity limits the Vimana resources inherit from the Gateway API v1.3 objects the operator generates
 * (vimana-invariants.md §2.6). Past a limit the operator's upsert fails, and for the Gateway (L6) that
 * breaks every Domain behind the Vimana, so each is denied at the resource that would cross it.
 */
import { readPath, readRecord } from '../fields.ts';
import { domainHostnames } from '../derived.ts';
import { domainIdProblem } from '../patterns.ts';
import { exceptSelf, serversOfDomain } from '../relations.ts';
import { WRITES, type RuleContext, type VimanaRule } from './rule.ts';

const MAX_ROUTE_HOSTNAMES = 16;
const MAX_ROUTE_RULES = 16;
const MAX_RULE_MATCHES = 64;
const MAX_ROUTE_MATCHES = 128;
const MAX_RULE_BACKENDS = 16;
const MAX_GATEWAY_LISTENERS = 64;

/** Denies when `count` exceeds `max`, reporting the field at `path`. */
function capacityRule(
  header: Pick<VimanaRule, 'name' | 'rule' | 'description' | 'kinds'> & { path: string; max: number },
  count: (context: RuleContext) => number,
  expected: (count: number) => string,
): VimanaRule {
  const { path, max, ...rest } = header;
  return {
    ...rest,
    operations: WRITES,
    severity: 'deny',
    check: (context) => {
      const total = count(context);
      return total > max ? [{ path, value: readPath(context.object, path), expected: expected(total) }] : [];
    },
  };
}

function listLength(object: unknown, path: string): number {
  const list = readPath(object, path);
  return Array.isArray(list) ? list.length : 0;
}

/** The other Servers routed by the reviewed Server's Domain, if its `spec.domain` is well-formed. */
function siblings(context: RuleContext): unknown[] {
  const domain = readPath(context.object, 'spec.domain');
  if (typeof domain !== 'string' || domainIdProblem(domain) !== undefined) return [];
  return exceptSelf(serversOfDomain(context.view.servers(context.namespace), domain), context);
}

const aliasCount = capacityRule(
  {
    name: 'max-aliases',
    rule: 'L1',
    kinds: ['Domain'],
    path: 'spec.aliases',
    max: MAX_ROUTE_HOSTNAMES - 1,
    description: `A Domain has at most ${MAX_ROUTE_HOSTNAMES - 1} aliases (GRPCRoute hostnames, with the canonical one)`,
  },
  ({ object }) => listLength(object, 'spec.aliases'),
  (count) =>
    `has ${count} aliases; a GRPCRoute holds ${MAX_ROUTE_HOSTNAMES - 1} next to the canonical hostname`,
);

const serverCount = capacityRule(
  {
    name: 'max-servers-per-domain',
    rule: 'L2',
    kinds: ['Server'],
    path: 'spec.domain',
    max: MAX_ROUTE_RULES,
    description: `A Domain has at most ${MAX_ROUTE_RULES} Servers (GRPCRoute rules)`,
  },
  (context) => siblings(context).length + 1,
  (count) => `would get its Server number ${count}; a GRPCRoute holds at most ${MAX_ROUTE_RULES} rules`,
);

const serviceCount = capacityRule(
  {
    name: 'max-services-per-server',
    rule: 'L3',
    kinds: ['Server'],
    path: 'spec.services',
    max: MAX_RULE_MATCHES,
    description: `A Server has at most ${MAX_RULE_MATCHES} services (matches of one GRPCRoute rule)`,
  },
  ({ object }) => listLength(object, 'spec.services'),
  (count) => `has ${count} services; a GRPCRoute rule matches at most ${MAX_RULE_MATCHES}`,
);

const domainServiceCount = capacityRule(
  {
    name: 'max-services-per-domain',
    rule: 'L4',
    kinds: ['Server'],
    path: 'spec.services',
    max: MAX_ROUTE_MATCHES,
    description: `The Servers of a Domain have at most ${MAX_ROUTE_MATCHES} services together (GRPCRoute matches)`,
  },
  (context) =>
    siblings(context).reduce((sum: number, server) => sum + listLength(server, 'spec.services'), 0) +
    listLength(context.object, 'spec.services'),
  (count) => `would bring its Domain to ${count} services; a GRPCRoute matches at most ${MAX_ROUTE_MATCHES}`,
);

const versionCount = capacityRule(
  {
    name: 'max-weighted-versions',
    rule: 'L5',
    kinds: ['Server'],
    path: 'spec.versionWeights',
    max: MAX_RULE_BACKENDS,
    description: `A Server weights at most ${MAX_RULE_BACKENDS} versions (backends of one GRPCRoute rule)`,
  },
  ({ object }) => Object.keys(readRecord(object, 'spec.versionWeights') ?? {}).length,
  (count) => `has ${count} versions; a GRPCRoute rule has at most ${MAX_RULE_BACKENDS} backends`,
);

const listenerCount = capacityRule(
  {
    name: 'max-listeners-per-namespace',
    rule: 'L6',
    kinds: ['Domain'],
    path: 'spec.aliases',
    max: MAX_GATEWAY_LISTENERS,
    description: `The Domains of a namespace have at most ${MAX_GATEWAY_LISTENERS} hostnames (Gateway listeners)`,
  },
  (context) =>
    exceptSelf(context.view.domains(context.namespace), context).reduce(
      (sum, domain) => sum + domainHostnames(domain).length,
      domainHostnames(context.object).length,
    ),
  (count) =>
    `would bring the namespace to ${count} Gateway listeners; a Gateway has at most ${MAX_GATEWAY_LISTENERS}`,
);

export const limitRules: readonly VimanaRule[] = [
  aliasCount,
  serverCount,
  serviceCount,
  domainServiceCount,
  versionCount,
  listenerCount,
];
