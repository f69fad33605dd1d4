/** A namespace holding the parents a Component needs (Vimana, Domain, Server), for the admission scenarios. */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../../pkg/kube/kube-client.ts';
import { objectPath } from '../../../pkg/kube/resource-type.ts';
import { VIMANA_RESOURCES } from '../../../features/vimana/resource-types.ts';
import type { VimanaKind } from '../../../features/vimana/types.ts';
import { createNamespace, serverSideApply } from '../../support/cluster.ts';
import { parents } from './fixture.ts';

export interface VimanaNamespace {
  namespace: string;
  domainId: string;
}

export async function vimanaNamespace(
  client: KubeClient,
  prefix: string,
  labels: Record<string, string>,
): Promise<VimanaNamespace> {
  const namespace = await createNamespace(client, `${prefix}-${randomBytes(3).toString('hex')}`, labels);
  const domainId = randomBytes(16).toString('hex');
  for (const object of parents(namespace, domainId)) {
    const type = VIMANA_RESOURCES[object.kind as VimanaKind];
    await serverSideApply(client, objectPath(type, namespace, object.metadata?.name ?? ''), object);
  }
  return { namespace, domainId };
}
