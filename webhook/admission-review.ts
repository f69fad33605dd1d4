/**
 * admission.k8s.io/v1 AdmissionReview: decoding a request defensively and encoding a response.
 *
 * The API server is the only expected caller, but the endpoint is on the network: every field is checked
 * before use, and a body that is not a v1 AdmissionReview gets a 400 naming what is wrong.
 */
import { isRecord } from '../pkg/json/json-value.ts';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../pkg/json/nesting-depth.ts';
import type { KubeObject } from '../pkg/kube/types.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo: UserInfo;
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  options?: unknown;
}

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: {
    code: number;
    message: string;
    reason?: string;
    details?: { causes: StatusCause[] };
  };
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export type Decoded = { ok: true; request: AdmissionRequest } | { ok: false; error: string };

const isGvk = (v: unknown): v is GroupVersionKind =>
  isRecord(v) && typeof v.group === 'string' && typeof v.version === 'string' && typeof v.kind === 'string';
const isGvr = (v: unknown): v is GroupVersionResource =>
  isRecord(v) &&
  typeof v.group === 'string' &&
  typeof v.version === 'string' &&
  typeof v.resource === 'string';
const optionalObject = (v: unknown) => v === undefined || v === null || isRecord(v);

/** Checks the envelope and the fields prismgate relies on; returns the request or why it is not one. */
export function decodeAdmissionReview(body: unknown): Decoded {
  if (!isRecord(body)) return { ok: false, error: 'the body is not a JSON object' };
  // Cloning and diffing the object recurse; past this depth they would fail every endpoint, Ignore ones too.
  if (nestsDeeperThan(body, MAX_NESTING_DEPTH))
    return { ok: false, error: `the review nests objects deeper than ${MAX_NESTING_DEPTH} levels` };
  if (body.apiVersion !== 'admission.k8s.io/v1') {
    return {
      ok: false,
      error: `apiVersion ${JSON.stringify(body.apiVersion)}: only admission.k8s.io/v1 is served`,
    };
  }
  if (body.kind !== 'AdmissionReview')
    return { ok: false, error: `kind ${JSON.stringify(body.kind)}: expected AdmissionReview` };
  const request = body.request;
  if (!isRecord(request)) return { ok: false, error: 'request is missing' };
  if (typeof request.uid !== 'string' || request.uid === '')
    return { ok: false, error: 'request.uid is missing' };
  if (typeof request.operation !== 'string' || !OPERATIONS.has(request.operation)) {
    return {
      ok: false,
      error: `request.operation ${JSON.stringify(request.operation)} is not one of CREATE, UPDATE, DELETE, CONNECT`,
    };
  }
  if (!isGvk(request.kind)) return { ok: false, error: 'request.kind must be {group, version, kind}' };
  if (!isGvr(request.resource))
    return { ok: false, error: 'request.resource must be {group, version, resource}' };
  if (!optionalObject(request.object) || !optionalObject(request.oldObject)) {
    return { ok: false, error: 'request.object and request.oldObject must be objects' };
  }
  if (request.userInfo !== undefined && !isRecord(request.userInfo))
    return { ok: false, error: 'request.userInfo must be an object' };
  return {
    ok: true,
    request: { ...(request as unknown as AdmissionRequest), userInfo: (request.userInfo ?? {}) as UserInfo },
  };
}

export function reviewOf(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}

/** The object the request is about: the new one, or for DELETE the old one. */
export function subjectOf(request: AdmissionRequest): KubeObject | undefined {
  return (request.operation === 'DELETE' ? request.oldObject : request.object) ?? undefined;
}
