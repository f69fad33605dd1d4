/**
 * What the pipeline learns about a request before a handler runs: what it asks for (request info) and
 * who asks (the authenticated user). Set by the request-info and authentication hooks.
 */
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ANONYMOUS, type User } from '../../server/delegated-auth/user.ts';
import { parseRequestInfo, type RequestInfo } from './request-info.ts';

export interface RequestContext {
  info: RequestInfo;
  user: User;
  /** process.hrtime.bigint() at arrival, for the latency histogram. */
  started: bigint;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiContext: RequestContext;
  }
}

export function contextOf(request: FastifyRequest): RequestContext {
  return request.apiContext;
}

/** The first step of the pipeline: what the request asks for; nobody is authenticated yet. */
export function requestInfoHook(): onRequestHookHandler {
  return (request, _reply, done) => {
    request.apiContext = {
      info: parseRequestInfo(request.method, request.url),
      user: ANONYMOUS,
      started: process.hrtime.bigint(),
    };
    done();
  };
}
