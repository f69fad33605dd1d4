import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnvironment } from './config.ts';

describe('configFromEnvironment', () => {
  it('serves a mounted Secret when PRISMGATE_TLS_DIR names one, and its own certificates otherwise', () => {
    expect(configFromEnvironment({ PRISMGATE_TLS_DIR: '/etc/prismgate/tls' }).tlsDirectory).toBe(
      '/etc/prismgate/tls',
    );
    expect(configFromEnvironment({ PRISMGATE_TLS_DIR: '' })).not.toHaveProperty('tlsDirectory');
    expect(configFromEnvironment({})).not.toHaveProperty('tlsDirectory');
  });

  it('authenticates kube-apiserver by the CA of PRISMGATE_WEBHOOK_CLIENT_CA_FILE, by default as kube-apiserver', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'config-')), 'ca.crt');
    writeFileSync(file, 'PEM');
    expect(configFromEnvironment({ PRISMGATE_WEBHOOK_CLIENT_CA_FILE: file }).webhookClients).toEqual({
      caPem: 'PEM',
      names: ['kube-apiserver'],
    });
    expect(
      configFromEnvironment({
        PRISMGATE_WEBHOOK_CLIENT_CA_FILE: file,
        PRISMGATE_WEBHOOK_CLIENT_NAMES: 'apiserver-a, apiserver-b',
      }).webhookClients?.names,
    ).toEqual(['apiserver-a', 'apiserver-b']);
    expect(configFromEnvironment({})).not.toHaveProperty('webhookClients');
  });

  it('names the variable and the value it cannot use', () => {
    expect(() => configFromEnvironment({ PRISMGATE_WEBHOOK_PORT: '70000' })).toThrow(
      'PRISMGATE_WEBHOOK_PORT="70000": must be a port number (0-65535)',
    );
    expect(() => configFromEnvironment({ PRISMGATE_REGISTRATION: 'cluster' })).toThrow(
      'PRISMGATE_REGISTRATION="cluster": must be one of local, in-cluster, none',
    );
  });
});
