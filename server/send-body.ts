/**
 * Sends a body with exactly the Content-Type given. fastify rewrites the Content-Type of string bodies
 * (quotes media-type parameters, appends a charset), and clients match conversions such as
 * `application/json;as=Table;v=v1;g=meta.k8s.io` on the parameters, so bodies leave as bytes.
 */
import type { FastifyReply } from 'fastify';

export function sendBody(reply: FastifyReply, contentType: string, body: string): FastifyReply {
  return reply.header('content-type', contentType).send(Buffer.from(body));
}

export function sendJson(reply: FastifyReply, value: unknown): FastifyReply {
  return sendBody(reply, 'application/json', JSON.stringify(value));
}
