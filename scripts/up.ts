// `npm run up`: the local control plane with prismgate running against it, registered through an
// ExternalName Service, and deregistered again on Ctrl-C.
import { pino } from 'pino';
import { defaultFeatures } from '../src/features.ts';
import { Prismgate, loadKubeConfig } from '../src/prismgate.ts';
import { runInForeground } from '../test/control-plane/foreground.ts';

await runInForeground('up', async (_controlPlane, kubeconfig) => {
  const prismgate = await Prismgate.start({
    kubeConfig: loadKubeConfig(kubeconfig),
    features: defaultFeatures(),
    log: pino({ name: 'prismgate', level: process.env.LOG_LEVEL ?? 'info' }),
    host: '127.0.0.1',
    webhookPort: 0,
    apiPort: 0,
    registration: 'local',
    deregisterOnStop: true,
  });
  console.log(
    `[up] prismgate: webhooks on https://127.0.0.1:${prismgate.webhookPort}` +
      (prismgate.apiPort ? `, prism API on https://127.0.0.1:${prismgate.apiPort}` : ''),
  );
  return () => prismgate.stop();
});
