/**
 * The `continue` token of a paginated list: the revision of the snapshot being paged through and the key
 * of the last object returned, opaque to clients (base64 JSON, like kube-apiserver's).
 */
import { badRequest } from '../../server/api-error.ts';

export interface ContinuePosition {
  revision: number;
  /** `namespace/name` of the last object returned; the next page starts after it. */
  after: string;
}

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(
    JSON.stringify({ v: 'prism.kappnav.io/v1', rv: position.revision, start: position.after }),
  ).toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv === 'number' && Number.isSafeInteger(parsed.rv) && typeof parsed.start === 'string')
      return { revision: parsed.rv, after: parsed.start };
  } catch {
    // reported below
  }
  throw badRequest('continue key is not valid: the token is malformed');
}
