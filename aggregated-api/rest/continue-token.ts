/**
 * The `continue` token of a paginated list, in kube-apiserver's own format (base64url, no padding, of
 * `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key of the next object>"}`): the revision of the
 * state being paged through, and the key the next page starts at (the last key returned, followed by a
 * NUL, so that the next page starts just after it). A revision of -1 means "the latest state", which is
 * what the token handed out with an expired one asks for. Malformed tokens are refused in
 * kube-apiserver's words (`invalid continue token: continue key is not valid: …`).
 */
import { goJsonKind, GoJsonSyntaxError, parseGoJson } from '../../pkg/json/go-json.ts';
import { isRecord } from '../../pkg/json/json-value.ts';
import { badRequest } from '../../server/api-error.ts';

export interface ContinuePosition {
  /** -1: the latest state. */
  revision: number;
  /** The first key of the next page. */
  start: string;
}

const VERSION = 'meta.k8s.io/v1';

/** The start of the page after `lastKey`. */
export const after = (lastKey: string) => `${lastKey}\0`;

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: VERSION, rv: position.revision, start: position.start })).toString(
    'base64url',
  );
}

const invalidToken = (reason: string) => badRequest(`invalid continue token: ${reason}`);
const notValid = (reason?: string) =>
  invalidToken(reason === undefined ? 'continue key is not valid' : `continue key is not valid: ${reason}`);

/** Go's base64.RawURLEncoding.DecodeString: the URL alphabet, no padding. */
function decodeBase64(token: string): Buffer {
  for (let i = 0; i < token.length; i++)
    if (!/[A-Za-z0-9_-]/.test(token[i]!)) throw notValid(`illegal base64 data at input byte ${i}`);
  if (token.length % 4 === 1) throw notValid(`illegal base64 data at input byte ${token.length}`);
  return Buffer.from(token, 'base64url');
}

/** A field of the token as encoding/json fills the struct: case-insensitive keys, the Go types. */
function tokenField(object: Record<string, unknown>, name: 'v' | 'rv' | 'start'): unknown {
  let found: unknown;
  for (const [key, value] of Object.entries(object)) if (key.toLowerCase() === name) found = value;
  if (found === undefined || found === null) return undefined;
  const goType = name === 'rv' ? 'int64' : 'string';
  const fits =
    name === 'rv' ? typeof found === 'number' && Number.isSafeInteger(found) : typeof found === 'string';
  if (!fits) {
    const what = typeof found === 'number' ? `number ${String(found)}` : goJsonKind(found);
    throw notValid(
      `json: cannot unmarshal ${what} into Go struct field continueToken.${name} of type ${goType}`,
    );
  }
  return found;
}

/** Go's path.Clean of a key that starts with `/`. */
function isCleanPath(key: string): boolean {
  return !/\/\/|\/\.\.?(\/|$)/.test(key) && (key === '/' || !key.endsWith('/'));
}

export function decodeContinue(token: string): ContinuePosition {
  const data = decodeBase64(token);
  let value: unknown;
  try {
    value = parseGoJson(data).value;
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) throw notValid(error.message);
    throw error;
  }
  if (value !== null && !isRecord(value))
    throw notValid(`json: cannot unmarshal ${goJsonKind(value)} into Go value of type storage.continueToken`);
  const object = value ?? {};
  const version = (tokenField(object, 'v') as string | undefined) ?? '';
  const revision = (tokenField(object, 'rv') as number | undefined) ?? 0;
  const start = (tokenField(object, 'start') as string | undefined) ?? '';
  if (version !== VERSION)
    throw invalidToken(
      `continue key is not valid: server does not recognize this encoded version ${version}`,
    );
  if (revision === 0)
    throw invalidToken(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  if (start === '')
    throw invalidToken('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  const key = start.startsWith('/') ? start : `/${start}`;
  if (!isCleanPath(key)) throw notValid(start);
  return { revision, start: key.slice(1) };
}
