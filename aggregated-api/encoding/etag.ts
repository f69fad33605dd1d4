/**
 * Entity tags for the documents clients poll (aggregated discovery every minute, OpenAPI): a hash of the
 * exact bytes, so every replica answers the same tag for the same content and `If-None-Match` gives 304.
 */
import { createHash } from 'node:crypto';

export function etagOf(body: string): string {
  return `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
}

/** Whether an `If-None-Match` header names `etag` (or `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim().replace(/^W\//, '');
    return trimmed === '*' || trimmed === etag;
  });
}
