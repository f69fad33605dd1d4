/**
 * `npm start`: prismgate against whatever cluster the current kubeconfig (or the in-cluster service
 * account) names. Configuration comes from the environment; see docs/configuration.md.
 */
import { FileCertificates, tlsSecretFiles } from '../certs/certificate-manager.ts';
import { KappnavFeature } from '../features/kappnav/feature.ts';
import { configFromEnvironment } from './config.ts';
import { defaultFeatures } from './default-features.ts';
import { createLogger } from './logger.ts';
import { Prismgate, loadKubeConfig } from './prismgate.ts';

const { tlsDirectory, ...config } = configFromEnvironment(process.env);
const log = createLogger(config.logLevel);
// The prism API is served over the runtime the kappnav feature starts.
const kappnav = new KappnavFeature();
const prismgate = await Prismgate.start({
  ...config,
  kubeConfig: loadKubeConfig(config.kubeconfig),
  features: defaultFeatures(kappnav),
  apiServer: kappnav.prismApiServer(),
  log,
  // Certificates from a mounted Secret (cert-manager) when given, else managed by prismgate itself.
  ...(tlsDirectory
    ? {
        certificates: () =>
          new FileCertificates(tlsSecretFiles(tlsDirectory), log.child({ certificates: 'files' })),
      }
    : {}),
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    prismgate.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
