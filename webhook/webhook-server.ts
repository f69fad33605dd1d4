/**
 * The admission webhook listener: the shared listener bootstrap (server/listener.ts) with one route per
 * admission endpoint.
 *
 *   POST <endpoint.path>  →  decode AdmissionReview  →  validate | mutate (time budget)  →  encode
 *
 * Failing closed: when an endpoint throws or runs out of time, the request is denied with a message that
 * says so, and the failure is logged and counted; an endpoint registered with failurePolicy Ignore fails
 * open instead, as the API server would. Malformed reviews get a 400 naming the problem.
 */
import { performance } from 'node:perf_hooks';
import fastify, { type FastifyInstance } from 'fastify';
import jsonPatch from 'fast-json-patch';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KubeObject } from '../pkg/kube/types.ts';
import { badRequest } from '../server/api-error.ts';
import { installListenerBasics, listenerOptions } from '../server/listener.ts';
import { manageClientCas } from '../server/client-ca-context.ts';
import type { TokenAccess } from '../server/delegated-auth/token-access.ts';
import { httpsOptions, secureContextOptions, type TlsMaterial } from '../server/tls.ts';
import type {
  AdmissionEndpoint,
  Mutation,
  MutatingEndpoint,
  ValidatingEndpoint,
  Verdict,
} from './admission-endpoint.ts';
import type { AdmissionMetrics, AdmissionOutcome } from './admission-metrics.ts';
import { capWarnings } from './admission-warnings.ts';
import { webhookClientHook, type WebhookClients } from './webhook-clients.ts';
import {
  decodeAdmissionReview,
  reviewOf,
  subjectOf,
  type AdmissionRequest,
  type AdmissionResponse,
} from './admission-review.ts';

export interface WebhookServerOptions {
  endpoints: AdmissionEndpoint[];
  tls: TlsMaterial;
  log: Logger;
  metrics: AdmissionMetrics;
  /** Served at /metrics when given. */
  registry?: Registry;
  /** Who may read /metrics (a bearer token's user allowed `get /metrics`); everyone when absent. */
  metricsAccess?: TokenAccess;
  /** Who may send AdmissionReviews (kube-apiserver's client certificate); anyone when absent. */
  clients?: WebhookClients;
  /** Readiness: false until the caches the endpoints read have synced. */
  ready: () => boolean;
  /** Budget for one evaluation; below the webhook timeoutSeconds so our denial, not a timeout, reaches the user. */
  evaluationTimeoutMs?: number;
}

/**
 * Largest review accepted. An object in etcd is at most 1.5 MiB and a review of an UPDATE carries the old
 * and the new object, so no legitimate review comes near 4 MiB; larger bodies are refused with 413.
 */
export const MAX_REVIEW_BYTES = 4 * 1024 * 1024;

class EvaluationTimeout extends Error {}

/** `work`, or an EvaluationTimeout after `ms`. One promise per review (race and finally would make four). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EvaluationTimeout(`no verdict within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function validationResponse(request: AdmissionRequest, verdict: Verdict): AdmissionResponse {
  const response: AdmissionResponse = { uid: request.uid, allowed: verdict.denials.length === 0 };
  if (verdict.warnings.length > 0) response.warnings = capWarnings(verdict.warnings);
  if (!response.allowed) {
    const lines = verdict.denials.map((d) => d.message);
    // 403, as the API server itself answers a webhook denial: kubectl then prints the webhook's name and
    // each violation once ("admission webhook … denied the request: …"). A 422 Invalid would make kubectl
    // print the causes instead, each with its field twice and without the webhook's name.
    response.status = {
      code: 403,
      reason: 'Forbidden',
      message: lines.length === 1 ? lines[0]! : `${lines.length} violations:\n- ${lines.join('\n- ')}`,
      details: { causes: verdict.denials.map((d) => ({ reason: d.reason ?? 'FieldValueInvalid', ...d })) },
    };
  }
  return response;
}

function validate(
  endpoint: ValidatingEndpoint,
  request: AdmissionRequest,
): AdmissionResponse | Promise<AdmissionResponse> {
  const verdict = endpoint.validate(request);
  return verdict instanceof Promise
    ? verdict.then((settled) => validationResponse(request, settled))
    : validationResponse(request, verdict);
}

function mutationResponse(
  request: AdmissionRequest,
  original: KubeObject,
  mutation: Mutation | undefined,
): AdmissionResponse {
  const response: AdmissionResponse = { uid: request.uid, allowed: true };
  if (!mutation) return response;
  const patch = jsonPatch.compare(original, mutation.object);
  if (patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(patch)).toString('base64');
  }
  if (mutation.warnings.length > 0) response.warnings = capWarnings(mutation.warnings);
  return response;
}

function mutate(
  endpoint: MutatingEndpoint,
  request: AdmissionRequest,
): AdmissionResponse | Promise<AdmissionResponse> {
  const original = request.operation === 'DELETE' ? undefined : subjectOf(request);
  if (!original) return { uid: request.uid, allowed: true };
  const mutation = endpoint.mutate(request, structuredClone(original) as KubeObject);
  return mutation instanceof Promise
    ? mutation.then((settled) => mutationResponse(request, original, settled))
    : mutationResponse(request, original, mutation);
}

function outcomeOf(response: AdmissionResponse): AdmissionOutcome {
  return response.allowed ? 'allowed' : 'denied';
}

/**
 * fastify's options for a webhook listener; the benchmark's floor server (bench/support/bare-webhook-host.ts)
 * uses the same.
 */
export function webhookListenerOptions(tls: TlsMaterial, log?: Logger, clients?: WebhookClients) {
  return {
    ...listenerOptions({
      bodyLimit: MAX_REVIEW_BYTES,
      ...(log ? { log } : {}),
      // Objects may hold a `__proto__` key where Kubernetes allows any key (a ConfigMap's data, fields of a
      // CRD that preserves unknown fields). Refusing such a body with 400 would make a Fail webhook deny a
      // valid object (fuzzing found it). The key is dropped instead: no rule reads it, and it can never
      // reach a prototype.
      prototypeKeys: 'remove',
    }),
    // Asks for kube-apiserver's certificate, never refuses the handshake (webhook-clients.ts says why).
    https: httpsOptions(
      tls,
      clients ? { ca: [clients.caPem], requestCert: true, rejectUnauthorized: false } : {},
    ),
  };
}

export interface AdmissionRoutesOptions {
  endpoints: readonly AdmissionEndpoint[];
  log: Logger;
  metrics: AdmissionMetrics;
  timeoutMs: number;
  clients?: WebhookClients;
}

/** One POST route per admission endpoint. */
export function admissionRoutes(
  app: FastifyInstance,
  options: AdmissionRoutesOptions,
  done: () => void,
): void {
  const { timeoutMs } = options;
  const onRequest = options.clients ? [webhookClientHook(options.clients)] : [];
  for (const endpoint of options.endpoints) {
    app.post(endpoint.path, { onRequest }, async (request) => {
      const decoded = decodeAdmissionReview(request.body);
      if (!decoded.ok) {
        options.metrics.malformed(endpoint.name);
        throw badRequest(`not a valid AdmissionReview: ${decoded.error}`);
      }
      const review = decoded.request;
      const started = performance.now();
      let response: AdmissionResponse;
      let outcome: AdmissionOutcome;
      try {
        const work = endpoint.type === 'validating' ? validate(endpoint, review) : mutate(endpoint, review);
        // An answer given synchronously is complete (no timer could have cut it short); only waits get a
        // deadline.
        response = work instanceof Promise ? await withDeadline(work, timeoutMs) : work;
        outcome = outcomeOf(response);
      } catch (error) {
        outcome = error instanceof EvaluationTimeout ? 'timeout' : 'error';
        // No stricter than the API server would be without an answer: an endpoint registered with
        // failurePolicy Ignore (status that only decorates) lets the request through, unchanged.
        const failOpen = endpoint.declaration().failurePolicy === 'Ignore';
        options.log.error(
          {
            err: error,
            webhook: endpoint.name,
            uid: review.uid,
            kind: review.kind.kind,
            name: review.name,
            namespace: review.namespace,
          },
          failOpen
            ? 'admission evaluation failed; allowing unchanged (failurePolicy Ignore)'
            : 'admission evaluation failed; denying (fail closed)',
        );
        response = failOpen
          ? { uid: review.uid, allowed: true }
          : {
              uid: review.uid,
              allowed: false,
              status: {
                code: 500,
                reason: 'InternalError',
                message: `prismgate could not evaluate ${endpoint.name} for this ${review.kind.kind}: ${(error as Error).message} (failing closed; the request was not applied)`,
              },
            };
      }
      options.metrics.observe(
        endpoint.name,
        review.kind.kind,
        review.operation,
        outcome,
        (performance.now() - started) / 1000,
      );
      return reviewOf(response);
    });
  }

  done();
}

export async function createWebhookServer(options: WebhookServerOptions) {
  const app = fastify(webhookListenerOptions(options.tls, options.log, options.clients));
  // Certificate rotation (setSecureContext) must keep the client CA.
  if (options.clients)
    manageClientCas(app.server, [options.clients.caPem], secureContextOptions(options.tls));
  installListenerBasics(app as unknown as FastifyInstance, {
    readiness: [{ name: 'caches', check: () => (options.ready() ? undefined : 'caches are syncing') }],
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.metricsAccess ? { metricsAccess: options.metricsAccess } : {}),
  });
  await app.register(admissionRoutes, {
    endpoints: options.endpoints,
    log: options.log,
    metrics: options.metrics,
    timeoutMs: options.evaluationTimeoutMs ?? 2500,
    ...(options.clients ? { clients: options.clients } : {}),
  });
  return app;
}

export type WebhookServer = Awaited<ReturnType<typeof createWebhookServer>>;
