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

  it('names the variable and the value it cannot use', () => {
    expect(() => configFromEnvironment({ PRISMGATE_WEBHOOK_PORT: '70000' })).toThrow(
      'PRISMGATE_WEBHOOK_PORT="70000": must be a port number (0-65535)',
    );
    expect(() => configFromEnvironment({ PRISMGATE_REGISTRATION: 'cluster' })).toThrow(
      'PRISMGATE_REGISTRATION="cluster": must be one of local, in-cluster, none',
    );
  });
});
