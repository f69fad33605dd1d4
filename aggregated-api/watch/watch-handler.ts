/**
 * `?watch=true` on a readable resource, with kube-apiserver's semantics:
 *   - no resourceVersion or "0": synthetic ADDED events for the current state, then the changes;
 *   - resourceVersion=N: the changes after N, or one ERROR event with 410 Expired when they are no longer
 *     all kept (the client re-lists); a resourceVersion not reached yet waits up to 3 s, then 504;
 *   - sendInitialEvents=true (watch-list): the current state, then a BOOKMARK marked
 *     `k8s.io/initial-events-end`, then the changes;
 *   - allowWatchBookmarks: a BOOKMARK with the current resourceVersion every bookmark interval;
 *   - an object that stops (starts) matching the selectors is sent as DELETED (ADDED);
 *   - the watch ends after timeoutSeconds (by default a random 30 to 60 minutes, as kube-apiserver does).
 * Each event is checked against what the user may read before it is sent; events stay in order.
 */
import type { FastifyReply } from 'fastify';
import type { KubeObject } from '../../pkg/kube/types.ts';
import { objectRepresentation, watchContentType, type EncodeOptions } from '../encoding/response-encoder.ts';
import type { ListOptions } from '../request/list-options.ts';
import type { ObjectFilter } from '../resource/object-filter.ts';
import type { ReadableResource } from '../resource/served-resource.ts';
import { expired, internalError, resourceVersionTooLarge } from '../../server/api-error.ts';
import type { RevisionClock } from '../store/revision-clock.ts';
import type { StoreEvent } from '../store/versioned-store.ts';
import { WatchStream, type WatchFrame } from './watch-stream.ts';

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Default duration of a watch when the client gives no timeoutSeconds: a random value in this range. */
  defaultTimeoutSeconds: readonly [number, number];
  maxBufferedBytes: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  bookmarkIntervalMs: 60_000,
  defaultTimeoutSeconds: [1800, 3600],
  maxBufferedBytes: 8 * 1024 * 1024,
};

export interface WatchRequest<T extends KubeObject> {
  resource: ReadableResource<T>;
  options: ListOptions;
  filter: ObjectFilter<T>;
  clock: RevisionClock;
  encode: EncodeOptions;
  settings: WatchSettings;
  /** Sentences for Warning headers (stale caches). */
  warnings: readonly string[];
  /** Called with the stream once it is open (to end it when the server shuts down). */
  opened(stream: WatchStream): void;
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

interface Start<T extends KubeObject> {
  /** Objects to send as ADDED first. */
  initial: T[];
  /** Changes after this revision follow. */
  revision: number;
  /** Whether a bookmark marks the end of the initial events (watch-list). */
  initialEventsEnd: boolean;
}

/** Decided before the response starts, so that a 504 can still be an ordinary error response. */
async function startOf<T extends KubeObject>(request: WatchRequest<T>): Promise<Start<T>> {
  const { options, resource, clock } = request;
  const requested = options.resourceVersion === '' ? 0 : Number(options.resourceVersion);
  if (requested > 0 && !(await clock.reached(requested)))
    throw resourceVersionTooLarge(options.resourceVersion);
  const sendInitial = options.sendInitialEvents ?? requested === 0;
  if (sendInitial || requested === 0) {
    const snapshot = resource.store.snapshot();
    return {
      initial: sendInitial ? [...snapshot.items] : [],
      revision: snapshot.revision,
      initialEventsEnd: options.sendInitialEvents === true,
    };
  }
  return { initial: [], revision: requested, initialEventsEnd: false };
}

export async function serveWatch<T extends KubeObject>(
  reply: FastifyReply,
  request: WatchRequest<T>,
): Promise<void> {
  const { resource, options, filter, clock, encode, settings } = request;
  const start = await startOf(request);
  const stream = new WatchStream(reply.raw, settings.maxBufferedBytes);
  reply.hijack();
  stream.start(watchContentType(encode.representation), request.warnings);
  request.opened(stream);

  let columnsSent = false;
  const frame = (type: WatchFrame['type'], object: T): WatchFrame => {
    const withColumns = !columnsSent && type !== 'BOOKMARK';
    if (withColumns) columnsSent = true;
    return {
      type,
      object: objectRepresentation(resource.definition, object, { ...encode, now: Date.now() }, withColumns),
    };
  };
  const bookmark = (annotations?: Record<string, string>): T =>
    ({
      apiVersion: encode.apiVersion,
      kind: resource.definition.kind,
      metadata: { resourceVersion: String(clock.current), ...(annotations ? { annotations } : {}) },
    }) as unknown as T;

  // Events are filtered asynchronously (permissions) but must leave in order: one queue per watch.
  let queue = Promise.resolve();
  const enqueue = (work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error: unknown) => {
      stream.write({ type: 'ERROR', object: internalError(String(error)).toStatus() });
      stream.end();
    });
  };

  const onEvent = (event: StoreEvent<T>) =>
    enqueue(async () => {
      const sent = translate(event, filter);
      if (sent && stream.open && (await filter.denial(sent.object)) === undefined)
        stream.write(frame(sent.type, sent.object));
    });

  const subscription = resource.store.watchFrom(start.revision, onEvent);
  if (!subscription.ok) {
    const message = `too old resource version: ${options.resourceVersion} (${clock.current})`;
    stream.write({ type: 'ERROR', object: expired(message).toStatus() });
    stream.end();
    return;
  }
  stream.onClose(subscription.unsubscribe);

  for (const object of start.initial)
    enqueue(async () => {
      if (stream.open && (await filter.admits(object))) stream.write(frame('ADDED', object));
    });
  if (start.initialEventsEnd)
    enqueue(() => stream.write(frame('BOOKMARK', bookmark({ [INITIAL_EVENTS_END]: 'true' }))));
  for (const event of subscription.backlog) onEvent(event);

  if (options.allowWatchBookmarks) {
    const timer = setInterval(
      () => enqueue(() => stream.write(frame('BOOKMARK', bookmark()))),
      settings.bookmarkIntervalMs,
    );
    stream.onClose(() => clearInterval(timer));
  }
  const [low, high] = settings.defaultTimeoutSeconds;
  const seconds = options.timeoutSeconds || low + Math.random() * (high - low);
  const timeout = setTimeout(() => enqueue(() => stream.end()), seconds * 1000);
  stream.onClose(() => clearTimeout(timeout));
}

/**
 * What the client sees of a store event under its selectors: an object that stopped matching is
 * DELETED (in its last matching state), one that started matching is ADDED, others unchanged or nothing.
 */
function translate<T extends KubeObject>(
  event: StoreEvent<T>,
  filter: ObjectFilter<T>,
): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T } | undefined {
  const matchesNow = filter.selects(event.object);
  const matchedBefore = event.old !== undefined && filter.selects(event.old);
  switch (event.type) {
    case 'ADDED':
      return matchesNow ? { type: 'ADDED', object: event.object } : undefined;
    case 'DELETED':
      return matchesNow ? { type: 'DELETED', object: event.object } : undefined;
    case 'MODIFIED':
      if (matchesNow) return { type: matchedBefore ? 'MODIFIED' : 'ADDED', object: event.object };
      if (!matchedBefore || !event.old) return undefined;
      return {
        type: 'DELETED',
        object: {
          ...event.old,
          metadata: { ...event.old.metadata, resourceVersion: String(event.revision) },
        },
      };
  }
}
