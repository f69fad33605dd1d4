/**
 * The decode step's guard on request bodies: JSON parses at any depth, but echoing a body back, checking
 * its fields against the schema and cloning it all recurse, and a body nested some thousands of levels
 * deep made a create answer 500 (a stack overflow). Such a body is the client's error: 400.
 */
import type { preValidationHookHandler } from 'fastify';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../../pkg/json/nesting-depth.ts';
import { badRequest } from '../../server/api-error.ts';

export function bodyDepthHook(): preValidationHookHandler {
  return (request, _reply, done) => {
    if (request.body !== undefined && nestsDeeperThan(request.body, MAX_NESTING_DEPTH))
      done(badRequest(`the request body nests objects deeper than ${MAX_NESTING_DEPTH} levels`));
    else done();
  };
}
