/**
 * What running a peer out of cluster takes, whichever the peer: a free loopback port, a serving
 * certificate for the Service the API server is told to call, the peer's process (its output kept for the
 * reason it failed, if it does), and waiting until it answers an AdmissionReview.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createCertificateAuthority,
  DAY_MS,
  issueServingCertificate,
  type CertificateAndKey,
} from '../../certs/pki.ts';

/** A port nobody listens on now (the peer binds it a moment later; loopback only). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface ServingTls {
  ca: CertificateAndKey;
  serving: CertificateAndKey;
}

/** A CA of the benchmark's and a serving certificate for localhost and `<service>.<namespace>.svc`. */
export function servingTls(name: string, service: { namespace: string; name: string }): ServingTls {
  const validity = { validForMs: DAY_MS };
  const ca = createCertificateAuthority(`bench ${name} CA`, validity);
  const svc = `${service.name}.${service.namespace}.svc`;
  const serving = issueServingCertificate(
    ca,
    svc,
    ['localhost', '127.0.0.1', svc, `${service.name}.${service.namespace}`],
    validity,
  );
  return { ca, serving };
}

/** A process being started, as the readiness wait sees it. */
export interface StartingProcess {
  readonly name: string;
  readonly exited: boolean;
  /** Its last lines of output, for a failure's reason. */
  lastOutput(): string;
}

/** A peer's process: its output is kept (the last lines), for the reason it failed if it does. */
export class PeerProcess implements StartingProcess {
  private readonly tail: string[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        this.tail.push(line.slice(0, 400));
        if (this.tail.length > 30) this.tail.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // The benchmark ending any way (Ctrl-C, a crash) must not leave a peer running on a shared machine.
    process.once('exit', () => child.kill('SIGKILL'));
  }

  static spawn(
    name: string,
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): PeerProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new PeerProcess(name, child);
  }

  get pid(): number {
    return this.child.pid ?? NaN;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Its last lines of output, for a failure's reason. */
  lastOutput(lines = 12): string {
    return this.tail.slice(-lines).join('\n');
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A dry-run CREATE of a Component breaking F3 (and F1, F2, F4), as the readiness probe of a gate: the gate
 * is ready once it denies it, so its policies are loaded, not merely its server up.
 */
function probeReview(namespace: string): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '00000000-0000-0000-0000-000000000001',
      kind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Component' },
      resource: { group: 'api.vimana.host', version: 'v1alpha1', resource: 'components' },
      requestKind: { group: 'api.vimana.host', version: 'v1alpha1', kind: 'Component' },
      requestResource: { group: 'api.vimana.host', version: 'v1alpha1', resource: 'components' },
      name: 'probe',
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
      object: {
        apiVersion: 'api.vimana.host/v1alpha1',
        kind: 'Component',
        metadata: { name: 'probe', namespace },
        spec: { version: 'not-a-version', server: 'probe', domain: 'probe', image: 'probe' },
      },
      oldObject: null,
      dryRun: true,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  });
}

/** Where a gate listens, and the name its certificate holds (the Service the API server calls). */
export interface GateAddress {
  port: number;
  path: string;
  caBundle: string;
  service: { namespace: string; name: string };
}

/** The name the API server verifies a gate's certificate against: `<service>.<namespace>.svc`. */
export const serviceHost = ({ service }: Pick<GateAddress, 'service'>) =>
  `${service.name}.${service.namespace}.svc`;

/** POSTs `body` to the gate; resolves to the HTTP status and body. */
export function postReview(
  target: GateAddress,
  body: string,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        ca: target.caBundle,
        servername: serviceHost(target),
        headers: { 'content-type': 'application/json' },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Waits until the gate denies an invalid Component in `namespace` (one its policies apply to): the peer
 * has started, serves its webhook path and enforces its policies.
 */
export async function untilDenies(
  peer: StartingProcess,
  target: GateAddress,
  namespace: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (peer.exited) throw new Error(`${peer.name} exited while starting:\n${peer.lastOutput()}`);
    try {
      const answer = await postReview(target, probeReview(namespace));
      if (answer.status === 200 && /"allowed":\s*false/.test(answer.body)) return;
      last = `${answer.status} ${answer.body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(
    `${peer.name} did not deny an invalid Component on ${target.path} within ${timeoutMs / 1000} s (last: ${last}); its output:\n${peer.lastOutput()}`,
  );
}
