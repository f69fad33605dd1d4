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

/**
 * Inside features/kappnav, lowest first: the model of applications, KindActionMappings and their maps,
 * action maps and the pattern language (its core, then the functions and resolvers built on it, then the
 * resolver itself), NLS, command actions, the status engine, the informer-backed cluster view, the one
 * runtime (statuses, memo, store, lifecycle, reconciler, webhook), and the prism API (its model and API
 * group, the action services, the resources, the seed's routes, the server), with feature.ts on top.
 */
const KAPPNAV_LAYERS = [
  ['model', 'model/'],
  ['kam', 'kam/'],
  ['actions', 'actions/[^/]+$'],
  ['pattern-language', 'actions/pattern/language/'],
  ['pattern-functions', 'actions/pattern/functions/'],
  ['pattern-resolvers', 'actions/pattern/resolvers/'],
  ['pattern', 'actions/pattern/[^/]+$'],
  ['nls', 'nls/'],
  ['commands', 'commands/'],
  ['status', 'status/'],
  ['cluster', 'cluster/'],
  ['runtime', 'runtime/'],
  ['prism-model', 'prism/(api-group\\.ts$|model/)'],
  ['prism-actions', 'prism/actions/'],
  ['prism-resources', 'prism/resources/'],
  ['prism-compat', 'prism/compat/'],
  ['prism', 'prism/(?!api-group\\.ts$)[^/]+$'],
  ['feature', '[^/]+$'],
];

/**
 * Inside aggregated-api, lowest first, as k8s.io/apiserver stacks them: who asks (authn), what a request asks
 * for (request), whether it may (authz), Table printing, the stores of served objects, what a served resource
 * is (its group version, definition, schema, filter), encoding, the OpenAPI and discovery documents derived from the
 * definitions, metrics, watch, the verb handlers (rest), and the pipeline that installs them all.
 */
const AGGREGATED_API_LAYERS = [
  ['authn', 'authn/'],
  ['request', 'request/'],
  ['authz', 'authz/'],
  ['table', 'table/'],
  ['store', 'store/'],
  ['resource', 'resource/'],
  ['encoding', 'encoding/'],
  ['openapi', 'openapi/'],
  ['discovery', 'discovery/'],
  ['metrics', 'metrics/'],
  ['watch', 'watch/'],
  ['rest', 'rest/'],
  ['pipeline', '[^/]+$'],
];

/**
 * Inside server: Status errors, TLS and connections, then delegated authentication and authorization
 * (TokenReview, SubjectAccessReview), then health and shutdown, then the listener bootstrap.
 */
const SERVER_LAYERS = [
  ['errors', '(api-error|send-body|error-responses|tls|client-ca-context|connection-drain)\\.ts$'],
  ['delegated-auth', 'delegated-auth/'],
  ['health', 'health/'],
  ['listener', '(listener|metrics-route)\\.ts$'],
];

/** Rules that keep the layers inside one folder: each imports only its own layer and those listed before it. */
function innerLayers(folder, layers) {
  const inside = (pattern) => `^${folder}/${pattern}`;
  return layers.slice(0, -1).map(([layer, pattern], index) => ({
    name: `${folder.replaceAll('/', '-')}-${layer}-imports-no-higher-layer`,
    comment: `Inside ${folder}, ${layer} sits below ${layers
      .slice(index + 1)
      .map(([name]) => name)
      .join(', ')}.`,
    severity: 'error',
    from: { path: inside(pattern), pathNot: '\\.test\\.ts$' },
    to: { path: layers.slice(index + 1).map(([, higher]) => inside(higher)) },
  }));
}

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
    ...innerLayers('features/kappnav', KAPPNAV_LAYERS),
    ...innerLayers('aggregated-api', AGGREGATED_API_LAYERS),
    ...innerLayers('server', SERVER_LAYERS),
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
    exclude: { path: '^(node_modules|bench/results|bench/peers/pepr/module)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
