/**
 * Whether the label that marks a map trusted (commands/command-trust.ts) can be believed: only while the
 * ValidatingAdmissionPolicy that reserves it to administrators, and its binding, are installed
 * (manifests/deploy/trusted-command-maps.yaml). Without them anyone who may edit a ConfigMap could set
 * the label, so prismgate then trusts the kappnav namespace alone, and says so in its log.
 *
 * Both objects are cluster-scoped and only a cluster administrator may write them; their presence is
 * read by name (prismgate may get nothing else of admission registration) and kept 30 s.
 */
import type { Logger } from 'pino';
import { ExpiringCache } from '../../../pkg/cache/expiring-cache.ts';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import type { TrustPolicy } from '../commands/command-trust.ts';

/** The name of the policy and of its binding. */
export const TRUSTED_MAPS_POLICY = 'prismgate-trusted-command-maps';

const PATH = '/apis/admissionregistration.k8s.io/v1';

interface PolicyBinding {
  spec?: { policyName?: string; validationActions?: string[] };
}

export class TrustGuard {
  private readonly checks = new ExpiringCache<boolean>(30_000);
  private warned = false;

  constructor(
    private readonly client: Pick<KubeClient, 'request'>,
    private readonly kappnavNamespace: string,
    private readonly log: Logger,
  ) {}

  async policy(): Promise<TrustPolicy> {
    return { kappnavNamespace: this.kappnavNamespace, labelHonoured: await this.inForce() };
  }

  private inForce(): Promise<boolean> {
    return this.checks.get('guard', async () => {
      try {
        const [binding] = await Promise.all([
          this.client.request<PolicyBinding>(
            'GET',
            `${PATH}/validatingadmissionpolicybindings/${TRUSTED_MAPS_POLICY}`,
          ),
          this.client.request('GET', `${PATH}/validatingadmissionpolicies/${TRUSTED_MAPS_POLICY}`),
        ]);
        const enforced =
          binding.spec?.policyName === TRUSTED_MAPS_POLICY &&
          (binding.spec.validationActions ?? []).includes('Deny');
        if (enforced) this.warned = false;
        else this.warnOnce('its binding does not deny');
        return enforced;
      } catch (error) {
        this.warnOnce((error as Error).message);
        return false;
      }
    });
  }

  private warnOnce(reason: string): void {
    if (this.warned) return;
    this.warned = true;
    this.log.warn(
      { policy: TRUSTED_MAPS_POLICY, reason },
      'the admission policy reserving the trusted-commands label is not in force: only maps of the kappnav namespace are trusted',
    );
  }
}
