/** The AdmissionReview the API server sends prismgate for `kubectl apply` of a new Component. */
import { createReview } from '../../support/admission-review.ts';
import { component } from './fixture.ts';
import type { VimanaNamespace } from './vimana-namespace.ts';

export function componentCreateReview({ namespace, domainId }: VimanaNamespace): string {
  return createReview(component(namespace, domainId, '9.9.9'), {
    group: 'api.vimana.host',
    version: 'v1alpha1',
    kind: 'Component',
    resource: 'components',
  });
}
