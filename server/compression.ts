/**
 * Response compression as k8s.io/apiserver does it (APIResponseCompression, on by default): a body of
 * more than 128 KiB is gzipped when the request's Accept-Encoding lists `gzip` as one of its
 * comma-separated tokens (exactly `gzip`, so `gzip;q=1.0` does not count), with `Content-Encoding: gzip`
 * and `Vary: Accept-Encoding`. Compression runs on libuv's thread pool, not on the event loop: a list of
 * some megabytes takes tens of milliseconds to compress.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** kube-apiserver's defaultGzipThresholdBytes. */
export const GZIP_THRESHOLD_BYTES = 128 * 1024;

/** Whether the client takes gzip (k8s.io/apiserver's ContentEncodingSupported). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((token) => token.trim() === 'gzip');
}

export interface Compressed {
  body: Buffer;
  /** `gzip` when compressed. */
  encoding?: 'gzip';
}

export async function compressed(body: Buffer, acceptEncoding: string | undefined): Promise<Compressed> {
  if (body.length <= GZIP_THRESHOLD_BYTES || !acceptsGzip(acceptEncoding)) return { body };
  return { body: await gzipAsync(body), encoding: 'gzip' };
}
