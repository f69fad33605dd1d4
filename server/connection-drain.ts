/**
 * Closing a listener without waiting on connections that will never carry another request.
 *
 * kube-apiserver keeps TLS connections to webhooks and aggregated servers open, some of which never carried
 * a request. Node's `closeIdleConnections()` does not count those as idle, so `server.close()` waits until
 * the API server drops them (90 s). Worse, the API server would keep reusing them during shutdown. This
 * tracks requests per socket: at drain, sockets with no request in flight are destroyed at once, and the
 * others right after their last response.
 */
import type { Server } from 'node:https';
import type { Socket } from 'node:net';

export interface ConnectionDrain {
  /** Destroys idle connections now and busy ones as soon as they finish. */
  drain(): void;
}

export function trackConnections(server: Server): ConnectionDrain {
  const inFlight = new Map<Socket, number>();
  let draining = false;
  server.on('secureConnection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (inFlight.has(socket)) inFlight.set(socket, left);
      if (draining && left === 0) socket.destroy();
    });
  });
  return {
    drain() {
      draining = true;
      for (const [socket, count] of inFlight) if (count === 0) socket.destroy();
    },
  };
}
