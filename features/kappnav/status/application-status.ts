/**
 * Application status (kappnav-prism.md §2.5, §4.4): the roll-up of the statuses of an application's
 * components, where a child application contributes its own roll-up.
 *
 * Applications may contain each other in cycles. kAppNav's Go controller walked depth-first with a
 * visited set per top-level application and skipped the child that closed a cycle; the result depended on
 * where the walk started and on which applications the batch had already computed (QUIRK: in
 * `A → {B, x}`, `B → {A}`, A came out Unknown from A and Normal from B). We instead treat each cycle
 * (strongly connected component) as one node: every member gets the roll-up of all the members' other
 * components and of the applications the cycle contains. That is what kAppNav's cycle tests expect
 * (TestLoop2, TestLoop4: all members converge to the worst of their leaves), it is the same result as
 * kAppNav's for applications outside cycles, and it does not depend on order. The walk (Tarjan's) visits
 * each application once per batch, so cycles terminate.
 */
import type { KubeObject } from '../../../pkg/kube/types.ts';
import { keyOf } from '../../../pkg/kube/types.ts';
import type { Application } from '../model/application.ts';
import { isApplication } from '../model/application.ts';
import type { ApplicationGraph } from '../model/application-graph.ts';
import type { KappnavStatus, StatusOutcome } from './kappnav-status.ts';
import type { RollUpConfig } from './status-rollup.ts';
import { rollUpStatus } from './status-rollup.ts';

export interface ApplicationStatusOptions {
  graph: ApplicationGraph;
  config: RollUpConfig;
  /**
   * The status of a non-application component: computed from its status mapping
   * (`ComponentStatusEngine.statusOf`) or, for resources known not to have changed, read back from its
   * annotations. Called at most once per resource object per batch.
   */
  componentStatus(resource: KubeObject): Promise<StatusOutcome>;
}

export interface ApplicationStatus {
  application: Application;
  status: KappnavStatus;
}

interface Node {
  application: Application;
  children: Node[];
  leaves: KubeObject[];
}

/**
 * The statuses of one batch: create one per reconcile pass, with a fresh graph. It memoizes component
 * statuses, the application graph and the applications' values, so asking for overlapping applications
 * costs nothing twice.
 */
export class ApplicationStatusBatch {
  private readonly nodes = new Map<string, Node>();
  private readonly values = new Map<Node, string>();
  /** The members of each cycle, for the members' flyovers. */
  private readonly cycles = new Map<Node, ReadonlySet<Node>>();
  private readonly components = new Map<KubeObject, Promise<StatusOutcome>>();
  private readonly settled = new Map<KubeObject, StatusOutcome>();
  /** Problems met in this batch (status mappings, ignored parts of applications), each once. */
  readonly problems = new Set<string>();

  constructor(private readonly options: ApplicationStatusOptions) {}

  /** The status of a non-application resource, computed once per batch. */
  componentStatus(resource: KubeObject): Promise<StatusOutcome> {
    let outcome = this.components.get(resource);
    if (!outcome) {
      outcome = this.options.componentStatus(resource).then((result) => {
        this.settled.set(resource, result);
        if (result.problem) this.problems.add(result.problem);
        return result;
      });
      this.components.set(resource, outcome);
    }
    return outcome;
  }

  /**
   * The statuses of `applications` over the current view of the cluster. Applications outside the
   * `app-namespaces` frontier carry no status and are left out of the answer.
   */
  async statusesOf(applications: readonly Application[]): Promise<ApplicationStatus[]> {
    const inScope = applications.filter((a) => a.inScope);
    const roots = inScope.map((a) => this.node(a));
    await Promise.all(
      this.reachable(roots).flatMap((n) => n.leaves.map((leaf) => this.componentStatus(leaf))),
    );
    this.evaluate(roots);
    return roots.map((node) => ({ application: node.application, status: this.status(node) }));
  }

  /** The node of `application`; the first version seen of an application wins for the whole batch. */
  private node(application: Application): Node {
    const key = keyOf(application.object);
    let node = this.nodes.get(key);
    if (!node) {
      node = { application, children: [], leaves: [] };
      this.nodes.set(key, node);
      application.problems.forEach((p) => this.problems.add(`application ${key}: ${p}`));
      for (const component of this.options.graph.componentsOf(application)) {
        if (isApplication(component))
          node.children.push(this.node(this.options.graph.application(component)));
        else node.leaves.push(component);
      }
    }
    return node;
  }

  private reachable(roots: Node[]): Node[] {
    const seen = new Set<Node>();
    const pending = [...roots];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (seen.has(node) || this.values.has(node)) continue;
      seen.add(node);
      pending.push(...node.children);
    }
    return [...seen];
  }

  private leafValue(leaf: KubeObject): string {
    return this.settled.get(leaf)!.status.value;
  }

  /** Tarjan's strongly connected components; each gets one value, children's components first. */
  private evaluate(roots: Node[]): void {
    const index = new Map<Node, number>();
    const low = new Map<Node, number>();
    const stack: Node[] = [];
    const onStack = new Set<Node>();

    const visit = (node: Node): void => {
      index.set(node, index.size);
      low.set(node, index.get(node)!);
      stack.push(node);
      onStack.add(node);
      for (const child of node.children) {
        if (this.values.has(child)) continue;
        if (!index.has(child)) {
          visit(child);
          low.set(node, Math.min(low.get(node)!, low.get(child)!));
        } else if (onStack.has(child)) {
          low.set(node, Math.min(low.get(node)!, index.get(child)!));
        }
      }
      if (low.get(node) !== index.get(node)) return;
      const members = new Set<Node>();
      let member: Node;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        members.add(member);
      } while (member !== node);
      const inputs: string[] = [];
      for (const m of members) {
        inputs.push(...m.leaves.map((leaf) => this.leafValue(leaf)));
        for (const child of m.children) if (!members.has(child)) inputs.push(this.values.get(child)!);
      }
      const value = rollUpStatus(inputs, this.options.config);
      for (const m of members) this.values.set(m, value);
      if (members.size > 1) this.noteCycle(members);
    };

    for (const root of roots) if (!this.values.has(root) && !index.has(root)) visit(root);
  }

  /** A cycle is a configuration mistake worth a log line, though its status is well defined. */
  private noteCycle(members: ReadonlySet<Node>): void {
    for (const m of members) this.cycles.set(m, members);
    const names = [...members].map((m) => keyOf(m.application.object)).sort();
    this.problems.add(`applications ${names.join(', ')} contain each other; each shows the cycle's status`);
  }

  /** The value, and a flyover that counts the direct components by status and names a cycle. */
  private status(node: Node): KappnavStatus {
    const { config } = this.options;
    const values = [
      ...node.leaves.map((leaf) => this.leafValue(leaf) || config.statusUnknown),
      ...node.children.map((child) => this.values.get(child)!),
    ];
    const flyover = summary(values, node.application, config);
    const cycle = this.cycles.get(node);
    if (!cycle) return { value: this.values.get(node)!, flyover };
    const others = [...cycle].filter((m) => m !== node).map((m) => keyOf(m.application.object));
    return {
      value: this.values.get(node)!,
      flyover: `${flyover}; in a cycle with ${others.sort().join(', ')}, which shares its status`,
    };
  }
}

/** Why an application has no components, as precisely as its definition tells. */
function noComponents(application: Application): string {
  if (application.selector.length === 0) return 'No components: the selector is empty.';
  if (application.componentKinds.length === 0)
    return `No components: ${application.problems.join('; ') || 'componentKinds names no kind'}.`;
  return 'No components match the selector.';
}

/** "3 components: 1 Problem, 2 Normal", most severe first, values outside the precedence list last. */
function summary(values: string[], application: Application, config: RollUpConfig): string {
  if (values.length === 0) return noComponents(application);
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const rank = (value: string) => {
    const at = config.statusPrecedence.indexOf(value);
    return at < 0 ? config.statusPrecedence.length : at;
  };
  const parts = [...counts]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([value, count]) => `${count} ${value}`);
  return `${values.length} component${values.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
