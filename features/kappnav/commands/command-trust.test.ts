import { describe, expect, it } from 'vitest';
import { mergeActionMaps } from '../actions/action-map.ts';
import type { LocatedConfigMap } from '../kam/config-map-source.ts';
import type { CommandError } from './command-error.ts';
import { isTrustedMap, planCommand, TRUSTED_COMMANDS_LABEL, type TrustPolicy } from './command-trust.ts';

const policy: TrustPolicy = { kappnavNamespace: 'kappnav', labelHonoured: true };

function map(
  namespace: string,
  name: string,
  data: object,
  labels: Record<string, string> = {},
): LocatedConfigMap {
  return {
    namespace,
    name,
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace, name, labels },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)])),
    },
  };
}

/** The administrator's kind map: a restart command whose target comes from a variable of its own. */
const kindMap = map('kappnav', 'kappnav.actions.deployment', {
  'cmd-actions': [{ name: 'restart', image: 'kappnav/tools', 'cmd-pattern': 'restart ${var.target}' }],
  variables: { target: '${resource.$.metadata.name}' },
  snippets: { check: 'function check() { return "{valid: true}"; }' },
});

/** A tenant's instance map in dev, redefining what the administrator's command uses. */
const instanceMap = (extra: object = {}, labels: Record<string, string> = {}) =>
  map(
    'dev',
    'dev.actions.deployment.web',
    {
      'cmd-actions': [{ name: 'mine', image: 'evil', 'cmd-pattern': 'steal ${var.target}' }],
      variables: { target: '--all-namespaces' },
      snippets: { check: 'function check() { return "{valid: false}"; }' },
      ...extra,
    },
    labels,
  );

const plan = (maps: LocatedConfigMap[], action: string, target = 'dev', trust = policy) =>
  planCommand(mergeActionMaps(maps), action, target, trust, 'kappnav-sa');

describe('isTrustedMap', () => {
  it.each([
    ['a map of the kappnav namespace', kindMap, policy, true],
    ['a map elsewhere', instanceMap(), policy, false],
    ['a map an administrator labelled', instanceMap({}, { [TRUSTED_COMMANDS_LABEL]: 'true' }), policy, true],
    ['a label other than "true"', instanceMap({}, { [TRUSTED_COMMANDS_LABEL]: 'yes' }), policy, false],
    [
      'a labelled map while the admission policy guarding the label is not in force',
      instanceMap({}, { [TRUSTED_COMMANDS_LABEL]: 'true' }),
      { ...policy, labelHonoured: false },
      false,
    ],
  ])('%s', (_what, located, trust, trusted) => {
    expect(isTrustedMap(located, trust)).toBe(trusted);
  });
});

describe('planCommand (issue 15, finding 2)', () => {
  it('runs a trusted command in kappnav as kappnav-sa, resolved from trusted maps only', () => {
    const planned = plan([instanceMap(), kindMap], 'restart');
    expect(planned.authority).toEqual({ trusted: true });
    expect(planned.placement).toEqual({ namespace: 'kappnav', serviceAccountName: 'kappnav-sa' });
    // The tenant's variable and snippet of the same names do not reach the administrator's command.
    expect(planned.actionMap.variables).toEqual({ target: '${resource.$.metadata.name}' });
    expect(planned.actionMap.snippets!['check']).toContain('valid: true');
    expect(planned.actionMap['cmd-actions']!.map((a) => a.name)).toEqual(['restart']);
  });

  it("runs a tenant's command in the tenant's namespace, under its default account", () => {
    const planned = plan([instanceMap(), kindMap], 'mine');
    expect(planned.authority).toEqual({
      trusted: false,
      namespace: 'dev',
      map: 'dev.actions.deployment.web',
    });
    expect(planned.placement).toEqual({ namespace: 'dev' });
    expect(planned.actionMap.variables).toEqual({ target: '--all-namespaces' });
  });

  it("treats a tenant's command of a trusted command's name as the tenant's", () => {
    const shadowing = instanceMap({
      'cmd-actions': [{ name: 'restart', image: 'evil', 'cmd-pattern': 'steal' }],
    });
    const planned = plan([shadowing, kindMap], 'restart');
    expect(planned.placement).toEqual({ namespace: 'dev' });
    expect(planned.actionMap['cmd-actions']!.find((a) => a.name === 'restart')!['image']).toBe('evil');
  });

  it('runs the command of a map an administrator labelled as a trusted one', () => {
    const labelled = instanceMap({}, { [TRUSTED_COMMANDS_LABEL]: 'true' });
    expect(plan([labelled, kindMap], 'mine').placement).toEqual({
      namespace: 'kappnav',
      serviceAccountName: 'kappnav-sa',
    });
    expect(plan([labelled, kindMap], 'mine', 'dev', { ...policy, labelHonoured: false }).placement).toEqual({
      namespace: 'dev',
    });
  });

  it("refuses a tenant's command for a resource of another namespace", () => {
    // A KindActionMapping of namespace tenant maps Deployments everywhere to its own kind map.
    const tenantKindMap = map('tenant', 'tenant.actions.deployment', {
      'cmd-actions': [{ name: 'mine', image: 'evil', 'cmd-pattern': 'steal' }],
    });
    let error: CommandError | undefined;
    try {
      plan([tenantKindMap, kindMap], 'mine', 'prod');
    } catch (thrown) {
      error = thrown as CommandError;
    }
    expect(error).toMatchObject({ reason: 'untrusted-elsewhere', errorClass: 'invalid' });
    expect(error!.message).toBe(
      'Command action mine comes from ConfigMap tenant/tenant.actions.deployment, which is not trusted: its commands run only for resources of namespace tenant, not of prod.',
    );
  });

  it('answers an unknown action as the reference did', () => {
    expect(() => plan([kindMap], 'nosuch')).toThrow('Command action nosuch is not found in config map.');
  });
});
