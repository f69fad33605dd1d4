/**
 * A stand-in feature for tests of the prismgate process itself: a validating webhook on ConfigMaps in
 * namespaces whose name starts with `prefix`, denying names that start with "forbidden-" and warning on
 * every request it sees (so a test can tell the webhook was really called).
 */
import type { Feature } from '../../../features/feature.ts';

export const PROBE_WARNING = 'seen by prismgate';

export function probeFeature(prefix: string): Feature {
  return {
    name: 'probe',
    start: () => {},
    admissionEndpoints: () => [
      {
        type: 'validating',
        name: 'probe',
        path: '/validate/probe',
        declaration: () => ({
          name: 'probe.validate.prismgate.kappnav.io',
          rules: [
            { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] },
          ],
          matchConditions: [
            { name: 'probe-namespaces', expression: `request.namespace.startsWith('${prefix}')` },
          ],
        }),
        validate: (request) => ({
          denials: request.name?.startsWith('forbidden-')
            ? [
                {
                  field: 'metadata.name',
                  message: `metadata.name ${JSON.stringify(request.name)}: is forbidden here (rule P1)`,
                },
              ]
            : [],
          warnings: [`${PROBE_WARNING} (dryRun=${request.dryRun})`],
        }),
      },
    ],
  };
}
