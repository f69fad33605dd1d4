/** prismgate's configuration from environment variables (docs/configuration.md lists them). */
import { readFileSync } from 'node:fs';
import type { PrismgateOptions } from './prismgate.ts';

export interface ProcessConfig extends Pick<
  PrismgateOptions,
  | 'namespace'
  | 'serviceName'
  | 'kappnavNamespace'
  | 'host'
  | 'webhookPort'
  | 'apiPort'
  | 'registration'
  | 'deregisterOnStop'
  | 'identity'
  | 'servicePorts'
  | 'shutdownDelayMs'
  | 'tlsDirectory'
  | 'webhookClients'
> {
  kubeconfig?: string;
  logLevel: string;
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name}=${JSON.stringify(value)}: must be a port number (0-65535)`);
  return n;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  name: string,
): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`${name}=${JSON.stringify(value)}: must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function configFromEnvironment(env: NodeJS.ProcessEnv): ProcessConfig {
  return {
    kubeconfig: env.PRISMGATE_KUBECONFIG || env.KUBECONFIG || undefined,
    namespace: env.PRISMGATE_NAMESPACE || 'prismgate-system',
    serviceName: env.PRISMGATE_SERVICE_NAME || 'prismgate',
    kappnavNamespace: env.KAPPNAV_CONFIG_NAMESPACE || 'kappnav',
    host: env.PRISMGATE_HOST || '0.0.0.0',
    webhookPort: port(env.PRISMGATE_WEBHOOK_PORT, 8443, 'PRISMGATE_WEBHOOK_PORT'),
    apiPort: port(env.PRISMGATE_API_PORT, 9443, 'PRISMGATE_API_PORT'),
    registration: oneOf(
      env.PRISMGATE_REGISTRATION,
      ['local', 'in-cluster', 'none'] as const,
      'in-cluster',
      'PRISMGATE_REGISTRATION',
    ),
    deregisterOnStop: env.PRISMGATE_DEREGISTER_ON_STOP === 'true',
    identity: env.PRISMGATE_POD_NAME || undefined,
    // The Service in front of the pods (manifests/deploy/service.yaml) listens on these ports.
    servicePorts: {
      webhook: port(env.PRISMGATE_SERVICE_WEBHOOK_PORT, 8443, 'PRISMGATE_SERVICE_WEBHOOK_PORT'),
      api: port(env.PRISMGATE_SERVICE_API_PORT, 443, 'PRISMGATE_SERVICE_API_PORT'),
    },
    shutdownDelayMs: Number(env.PRISMGATE_SHUTDOWN_DELAY_MS || 5_000),
    logLevel: env.LOG_LEVEL || 'info',
    ...(env.PRISMGATE_TLS_DIR ? { tlsDirectory: env.PRISMGATE_TLS_DIR } : {}),
    ...(env.PRISMGATE_WEBHOOK_CLIENT_CA_FILE
      ? {
          webhookClients: {
            caPem: readFileSync(env.PRISMGATE_WEBHOOK_CLIENT_CA_FILE, 'utf8'),
            names: (env.PRISMGATE_WEBHOOK_CLIENT_NAMES || 'kube-apiserver').split(',').map((n) => n.trim()),
          },
        }
      : {}),
  };
}
