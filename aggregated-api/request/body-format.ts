/**
 * What every request body shares, whatever decodes it (create's object, delete's DeleteOptions): the
 * serializer its Content-Type picks (none means JSON; another than JSON or YAML is 415 in kube-apiserver's
 * words), how an error quotes the body's start, and the struct Go first reads a body into.
 */
import { unsupportedMediaType } from '../../server/api-error.ts';
import { SERVED_MEDIA_TYPES, type Format } from './media-type.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The serializer for a request body's Content-Type (Go's mime.ParseMediaType, then an exact match). */
export function bodyFormat(contentType: string | undefined): Format {
  if (!contentType) return 'json';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/yaml') return 'yaml';
  throw unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: ${SERVED_MEDIA_TYPES.join(', ')}`,
  );
}

/** The start of a body as kube-apiserver quotes it in decode errors: text if it is an object, else hex. */
export function summarizeBody(body: Buffer, maxLength = 30): string {
  if (body.length === 0) return '<empty>';
  const cut = body.length > maxLength;
  const head = body.subarray(0, maxLength);
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return cut ? `${text} ...` : text;
}

/** The struct kube-apiserver first reads a body into, to find its apiVersion and kind (meta.Interpret). */
export const FIND_KIND_TYPE =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
