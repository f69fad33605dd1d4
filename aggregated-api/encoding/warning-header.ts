/**
 * Warnings to the client in the `Warning` header kube-apiserver uses (`299 - "text"`): kubectl prints them
 * as `Warning: text`. Used to flag answers served from caches that are not current.
 */
import type { FastifyReply } from 'fastify';

export function warningValue(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ')}"`;
}

export function addWarnings(reply: FastifyReply, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const existing = reply.getHeader('warning');
  const previous =
    existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('warning', [...previous, ...warnings.map(warningValue)]);
}
