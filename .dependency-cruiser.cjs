/**
 * The layers of prismgate, lowest first; a module may import its own layer and the layers below it, never
 * one above (test/layout/layers.test.ts runs these rules in `npm test`):
 *
 *   pkg/             kube access, labels, JSON, JSONPath, sandbox, metrics: no domain
 *   certs/           certificate issuance and rotation
 *   server/          the one fastify bootstrap both listeners share
 *   webhook/         the admission transport        aggregated-api/  the generic apiserver machinery
 *   features/        the domains (vimana, policy, kappnav), each on its own beside the others
 *   src/             the process: wiring, configuration, registration, CLI
 *
 * Tests, test support, benchmarks and scripts may import anything; production code imports none of them.
 */
const PRODUCTION = '^(pkg|certs|server|webhook|aggregated-api|features|src)/';
const above = {
  pkg: '^(certs|server|webhook|aggregated-api|features|src)/',
  certs: '^(server|webhook|aggregated-api|features|src)/',
  server: '^(webhook|aggregated-api|features|src)/',
  webhook: '^(aggregated-api|features|src)/',
  'aggregated-api': '^(webhook|features|src)/',
  features: '^src/',
};

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle makes two modules one concept in two places; one of them belongs below the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(above).map(([layer, higher]) => ({
      name: `${layer}-imports-no-higher-layer`,
      comment: `${layer}/ sits below ${higher}: it is given what it needs, it does not reach up for it.`,
      severity: 'error',
      from: { path: `^${layer}/`, pathNot: '\\.test\\.ts$' },
      to: { path: higher },
    })),
    {
      name: 'features-stand-apart',
      comment: 'A feature uses the layers below and the feature contract, never another feature.',
      severity: 'error',
      from: { path: '^features/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^features/', pathNot: ['^features/$1/', '^features/feature\\.ts$'] },
    },
    {
      name: 'production-imports-no-test-code',
      comment: 'Test support lives in test/; production code never depends on it.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: '\\.test\\.ts$' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
