/**
 * Keeps the policy reports in step with the results: the namespaces whose results changed are rewritten
 * (server-side apply, so the writes are idempotent across replicas), at most once per debounce interval,
 * and only when the report's content actually changed.
 */
import type { Logger } from 'pino';
import { KubeApiError, type KubeClient } from '../../pkg/kube/kube-client.ts';
import { objectPath } from '../../pkg/kube/resource-type.ts';
import type { AuditResults } from './audit-results.ts';
import { buildReport, REPORT_NAME } from './policy-report.ts';
import { CLUSTER_POLICY_REPORTS, POLICY_REPORTS } from './resource-types.ts';

const FIELD_MANAGER = 'prismgate-policies';

export class ReportWriter {
  private readonly written = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: KubeClient,
    private readonly results: AuditResults,
    private readonly log: Logger,
    private readonly debounceMs: number,
    /** Only the leader writes reports; the others keep their findings dirty until they lead. */
    private readonly isLeader: () => boolean = () => true,
  ) {}

  /** Writes the changed reports soon. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing
        .then(() => this.flush())
        .catch((err: unknown) => this.log.error({ err }, 'writing policy reports failed'));
    }, this.debounceMs);
  }

  async flush(): Promise<void> {
    if (!this.isLeader()) return;
    for (const namespace of this.results.takeDirty()) {
      const findings = this.results.inNamespace(namespace);
      if (findings.length === 0 && !this.written.has(namespace)) continue;
      const report = buildReport(namespace, findings);
      const text = JSON.stringify(report);
      if (this.written.get(namespace) === text) continue;
      const type = namespace ? POLICY_REPORTS : CLUSTER_POLICY_REPORTS;
      try {
        await this.client.request('PATCH', objectPath(type, namespace || undefined, REPORT_NAME), {
          query: { fieldManager: FIELD_MANAGER, force: true },
          body: report,
          contentType: 'application/apply-patch+yaml',
        });
        this.written.set(namespace, text);
      } catch (error) {
        // A namespace being deleted takes its report along; nothing to write there.
        if (error instanceof KubeApiError && (error.code === 404 || error.code === 403)) continue;
        this.log.warn({ err: error, namespace }, 'could not write the policy report; retrying later');
        this.results.markDirty(namespace);
      }
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
  }
}
