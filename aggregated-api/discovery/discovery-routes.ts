/**
 * Discovery endpoints. kube-aggregator asks `/apis` for aggregated discovery with an ETag every minute and
 * falls back to `/apis/<group>/<version>` on anything but 200-v2 or 304; its availability probe GETs
 * `/apis/<group>/<version>`. All answers are precomputed at start, so they take microseconds and never
 * fail while the server is up (an unavailable APIService stalls namespace deletion cluster-wide).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rootPathOf, type GroupVersion } from '../resource/group-version.ts';
import { etagOf, matchesEtag } from '../encoding/etag.ts';
import { sendBody } from '../../server/send-body.ts';
import { conversionContentType, negotiateDiscovery } from '../request/media-type.ts';
import type { ResourceDefinition } from '../resource/resource-definition.ts';
import {
  apiGroup,
  apiGroupDiscoveryList,
  apiGroupList,
  apiResourceList,
  emptyDiscoveryList,
  legacyApiVersions,
  type AggregatedDiscoveryVersion,
} from './discovery-documents.ts';

interface Document {
  body: string;
  etag: string;
}

function document(value: unknown): Document {
  const body = JSON.stringify(value);
  return { body, etag: etagOf(body) };
}

type AggregatedDocuments = Record<AggregatedDiscoveryVersion, Document>;

function send(request: FastifyRequest, reply: FastifyReply, doc: Document, contentType: string) {
  void reply.header('etag', doc.etag).header('vary', 'Accept').header('cache-control', 'no-cache, private');
  if (matchesEtag(request.headers['if-none-match'], doc.etag)) return reply.code(304).send();
  return sendBody(reply, contentType, doc.body);
}

/** Legacy document, or the aggregated one when the Accept header asks for it. */
function discoveryHandler(legacy: Document, aggregated: AggregatedDocuments) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const wanted = negotiateDiscovery(request.headers.accept);
    if (!wanted.aggregated) return send(request, reply, legacy, 'application/json');
    return send(
      request,
      reply,
      aggregated[wanted.version],
      conversionContentType('APIGroupDiscoveryList', wanted.version, 'apidiscovery.k8s.io'),
    );
  };
}

export interface DiscoveryOptions {
  groupVersion: GroupVersion;
  definitions: readonly ResourceDefinition[];
}

export function discoveryRoutes(app: FastifyInstance, options: DiscoveryOptions, done: () => void): void {
  const { groupVersion, definitions } = options;
  const apis = discoveryHandler(document(apiGroupList(groupVersion)), {
    v2: document(apiGroupDiscoveryList(groupVersion, definitions, 'v2')),
    v2beta1: document(apiGroupDiscoveryList(groupVersion, definitions, 'v2beta1')),
  });
  const api = discoveryHandler(document(legacyApiVersions()), {
    v2: document(emptyDiscoveryList('v2')),
    v2beta1: document(emptyDiscoveryList('v2beta1')),
  });
  const group = document(apiGroup(groupVersion));
  const resources = document(apiResourceList(groupVersion, definitions));
  app.get('/apis', apis);
  app.get('/api', api);
  app.get(`/apis/${groupVersion.group}`, (request, reply) => send(request, reply, group, 'application/json'));
  app.get(rootPathOf(groupVersion), (request, reply) => send(request, reply, resources, 'application/json'));
  done();
}
