import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { KubeApiError } from '../../../pkg/kube/kube-client.ts';
import { TRUSTED_MAPS_POLICY, TrustGuard } from './trust-guard.ts';

const BINDING = `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${TRUSTED_MAPS_POLICY}`;
const POLICY = `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${TRUSTED_MAPS_POLICY}`;

/** A client that serves the given objects by path, 404 for the others, counting requests. */
function client(objects: Record<string, object>) {
  let requests = 0;
  return {
    get requests() {
      return requests;
    },
    request: <T>(_method: string, path: string): Promise<T> => {
      requests++;
      const object = objects[path];
      return object
        ? Promise.resolve(object as T)
        : Promise.reject(new KubeApiError(404, undefined, 'not found'));
    },
  };
}

const binding = (validationActions: string[]) => ({
  spec: { policyName: TRUSTED_MAPS_POLICY, validationActions },
});
const guard = (objects: Record<string, object>) =>
  new TrustGuard(client(objects), 'kappnav', pino({ level: 'silent' }));

describe('TrustGuard (issue 15, finding 2)', () => {
  it('honours the trusted-commands label while the policy and its denying binding are installed', async () => {
    expect(await guard({ [POLICY]: {}, [BINDING]: binding(['Deny']) }).policy()).toEqual({
      kappnavNamespace: 'kappnav',
      labelHonoured: true,
    });
  });

  it.each([
    ['without the policy', { [BINDING]: binding(['Deny']) }],
    ['without the binding', { [POLICY]: {} }],
    ['with a binding that only warns', { [POLICY]: {}, [BINDING]: binding(['Warn', 'Audit']) }],
  ])('trusts the kappnav namespace alone %s', async (_what, objects) => {
    expect((await guard(objects).policy()).labelHonoured).toBe(false);
  });

  it('asks again only after 30 s', async () => {
    const api = client({ [POLICY]: {}, [BINDING]: binding(['Deny']) });
    const trust = new TrustGuard(api, 'kappnav', pino({ level: 'silent' }));
    await trust.policy();
    await trust.policy();
    expect(api.requests).toBe(2);
  });
});
