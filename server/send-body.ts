/**
 * Sends a body with exactly the Content-Type given, compressed as kube-apiserver compresses large
 * answers (compression.ts). fastify rewrites the Content-Type of string bodies (quotes media-type
 * parameters, appends a charset), and clients match types on their parameters, so bodies leave as bytes.
 */
import type { FastifyReply } from 'fastify';
import { compressed } from './compression.ts';

export async function sendBody(
  reply: FastifyReply,
  contentType: string,
  body: string,
): Promise<FastifyReply> {
  const encoded = await compressed(Buffer.from(body), reply.request.headers['accept-encoding']);
  void reply.header('content-type', contentType);
  if (encoded.encoding)
    void reply.header('content-encoding', encoded.encoding).header('vary', 'Accept-Encoding');
  return reply.send(encoded.body);
}

export function sendJson(reply: FastifyReply, value: unknown): Promise<FastifyReply> {
  return sendBody(reply, 'application/json', JSON.stringify(value));
}
