/**
 * A loopback TCP proxy that can stall its connections without closing them: the way a watch dies
 * silently when a NAT, load balancer or overlay network drops a long-lived connection.
 */
import { once } from 'node:events';
import net from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { kubeConfig } from './cluster.ts';

interface Pipe {
  stalled: boolean;
  sockets: [net.Socket, net.Socket];
}

export class StallableTcpProxy {
  private readonly server: net.Server;
  private readonly pipes = new Set<Pipe>();
  connections = 0;

  private constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      this.connections += 1;
      const upstream = net.connect(target);
      const pipe: Pipe = { stalled: false, sockets: [client, upstream] };
      this.pipes.add(pipe);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        // A stalled pipe swallows bytes: both ends keep an open connection that carries nothing.
        from.on('data', (chunk) => {
          if (!pipe.stalled) to.write(chunk);
        });
        from.on('error', () => to.destroy());
        from.on('close', () => {
          to.destroy();
          this.pipes.delete(pipe);
        });
      }
    });
  }

  static async start(target: { host: string; port: number }): Promise<StallableTcpProxy> {
    const proxy = new StallableTcpProxy(target);
    proxy.server.listen(0, '127.0.0.1');
    await once(proxy.server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Silently drops everything on the connections open now; new connections work normally. */
  stallOpenConnections(): void {
    for (const pipe of this.pipes) pipe.stalled = true;
  }

  async close(): Promise<void> {
    for (const pipe of this.pipes) for (const socket of pipe.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A proxy in front of the e2e API server, and the administrator's kubeconfig pointing through it. */
export async function proxiedApiServer(): Promise<{ proxy: StallableTcpProxy; kubeConfig: KubeConfig }> {
  const server = new URL(inject('server'));
  const proxy = await StallableTcpProxy.start({ host: server.hostname, port: Number(server.port) });
  const kc = kubeConfig();
  const cluster = kc.getCurrentCluster()!;
  kc.clusters = kc.clusters.map((c) =>
    c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${proxy.port}` } : c,
  );
  return { proxy, kubeConfig: kc };
}
