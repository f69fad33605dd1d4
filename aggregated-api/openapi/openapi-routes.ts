/**
 * `/openapi/v2` (kube-aggregator merges it into the cluster's document; a 404 here makes it retry and log
 * forever), `/openapi/v3` (the index of per-group-version documents) and
 * `/openapi/v3/apis/<group>/<version>`, served as kube-apiserver serves them: addressed by the hash of
 * their content, immutable when asked by that hash, redirected to the current hash when asked by an old one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiVersionOf, type GroupVersion } from '../resource/group-version.ts';
import { etagOf, matchesEtag } from '../encoding/etag.ts';
import { sendBody } from '../../server/send-body.ts';
import { queryValue, type Query } from '../request/list-options.ts';
import type { OpenApiDocuments } from './openapi-documents.ts';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

export interface OpenApiOptions {
  groupVersion: GroupVersion;
  documents: OpenApiDocuments;
}

export function openApiRoutes(app: FastifyInstance, options: OpenApiOptions, done: () => void): void {
  const v2 = JSON.stringify(options.documents.v2());
  const v2Etag = etagOf(v2);
  const v3 = JSON.stringify(options.documents.v3());
  const v3Etag = etagOf(v3);
  const v3Hash = v3Etag.slice(1, -1);
  const groupVersion = apiVersionOf(options.groupVersion);
  const v3Path = `/openapi/v3/apis/${groupVersion}`;
  const index = JSON.stringify({
    paths: { [`apis/${groupVersion}`]: { serverRelativeURL: `${v3Path}?hash=${v3Hash}` } },
  });

  const sendTagged = (request: FastifyRequest, reply: FastifyReply, body: string, etag: string) => {
    void reply.header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return sendBody(reply, 'application/json', body);
  };

  app.get('/openapi/v2', (request, reply) => {
    void reply.header('cache-control', 'no-cache, private');
    return sendTagged(request, reply, v2, v2Etag);
  });
  app.get('/openapi/v3', (_request, reply) =>
    sendBody(reply.header('cache-control', 'no-cache, private'), 'application/json', index),
  );
  app.get(v3Path, (request, reply) => {
    const hash = queryValue(request.query as Query, 'hash');
    if (hash === undefined) {
      void reply.header('cache-control', 'no-cache, private');
      return sendTagged(request, reply, v3, v3Etag);
    }
    if (hash !== v3Hash) return reply.redirect(`${v3Path}?hash=${v3Hash}`, 301);
    void reply
      .header('cache-control', 'public, immutable')
      .header('expires', new Date(Date.now() + YEAR_MS).toUTCString());
    return sendTagged(request, reply, v3, v3Etag);
  });
  done();
}
