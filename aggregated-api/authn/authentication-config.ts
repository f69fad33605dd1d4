/**
 * Who may authenticate to the server, as kube-apiserver publishes it in the ConfigMap
 * `kube-system/extension-apiserver-authentication` (readable with the Role
 * `extension-apiserver-authentication-reader`): the CA of client certificates (`client-ca-file`) and the
 * front proxy's settings (`requestheader-*`). The ConfigMap is watched, so a rotated CA or a changed
 * allowed-names list applies without a restart.
 */
import type { Logger } from 'pino';
import type { KubeClient } from '../../pkg/kube/kube-client.ts';
import { ResourceCache } from '../../pkg/kube/resource-cache.ts';
import { CORE_TYPES } from '../../pkg/kube/resource-type.ts';

export const AUTHENTICATION_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'extension-apiserver-authentication',
};

export interface RequestHeaderConfig {
  caPem: string;
  /** Common names the front proxy's certificate may have; empty allows any certificate of the CA. */
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export interface AuthenticationConfig {
  clientCaPem?: string;
  requestHeader?: RequestHeaderConfig;
}

function stringList(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  } catch {
    return [];
  }
}

export function readAuthenticationConfig(
  data: Readonly<Record<string, string>> | undefined,
): AuthenticationConfig {
  const config: AuthenticationConfig = {};
  const clientCa = data?.['client-ca-file'];
  if (clientCa) config.clientCaPem = clientCa;
  const requestHeaderCa = data?.['requestheader-client-ca-file'];
  if (requestHeaderCa) {
    config.requestHeader = {
      caPem: requestHeaderCa,
      allowedNames: stringList(data['requestheader-allowed-names']),
      usernameHeaders: stringList(data['requestheader-username-headers']),
      uidHeaders: stringList(data['requestheader-uid-headers']),
      groupHeaders: stringList(data['requestheader-group-headers']),
      extraHeaderPrefixes: stringList(data['requestheader-extra-headers-prefix']),
    };
  }
  return config;
}

/** The CAs a client certificate may chain to: what the TLS handshake asks clients for. */
export function trustedClientCas(config: AuthenticationConfig): string[] {
  return [config.requestHeader?.caPem, config.clientCaPem].filter((pem): pem is string => pem !== undefined);
}

export interface AuthenticationConfigSource {
  current(): AuthenticationConfig;
  /** Whether the ConfigMap has been read (readiness). */
  readonly loaded: boolean;
  onChange(listener: (config: AuthenticationConfig) => void): void;
}

/** The ConfigMap, watched; `start` resolves once it was read (or could not be within `timeoutMs`). */
export class WatchedAuthenticationConfig implements AuthenticationConfigSource {
  private config: AuthenticationConfig = {};
  private readonly listeners = new Set<(config: AuthenticationConfig) => void>();
  private readonly cache: ResourceCache;

  constructor(client: KubeClient, log: Logger) {
    this.cache = new ResourceCache({
      client,
      log,
      type: CORE_TYPES.configMaps,
      namespace: AUTHENTICATION_CONFIGMAP.namespace,
      // The reader Role names the ConfigMap (resourceNames), so list and watch must name it too.
      fieldSelector: `metadata.name=${AUTHENTICATION_CONFIGMAP.name}`,
    });
    this.cache.onEvent(() => this.reload());
  }

  get loaded(): boolean {
    return this.cache.hasSynced;
  }

  current(): AuthenticationConfig {
    return this.config;
  }

  onChange(listener: (config: AuthenticationConfig) => void): void {
    this.listeners.add(listener);
  }

  private reload(): void {
    const configMap = this.cache.get(AUTHENTICATION_CONFIGMAP.namespace, AUTHENTICATION_CONFIGMAP.name);
    this.config = readAuthenticationConfig(configMap?.data as Record<string, string> | undefined);
    for (const listener of this.listeners) listener(this.config);
  }

  async start(timeoutMs: number): Promise<void> {
    this.cache.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.cache.synced,
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }

  stop(): Promise<void> {
    return this.cache.stop();
  }
}
