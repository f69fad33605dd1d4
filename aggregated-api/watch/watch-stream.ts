/**
 * The wire side of a watch: newline-delimited `{"type","object"}` JSON frames on a chunked 200 response,
 * written in order. A client that stops reading is dropped once too much is buffered for it (as
 * kube-apiserver drops a watcher whose buffer fills), so one slow client cannot grow the server's memory.
 */
import type { ServerResponse } from 'node:http';
import { warningValue } from '../encoding/warning-header.ts';

export interface WatchFrame {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

export class WatchStream {
  private ended = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {
    response.on('close', () => this.finish());
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Sends the status line and headers now, so the client sees the watch established before any event. */
  start(contentType: string, warnings: readonly string[]): void {
    if (warnings.length > 0) this.response.setHeader('warning', warnings.map(warningValue));
    this.response.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    this.response.flushHeaders();
  }

  write(frame: WatchFrame): void {
    if (this.ended) return;
    this.response.write(`${JSON.stringify(frame)}\n`);
    if (this.response.writableLength > this.maxBufferedBytes) this.end();
  }

  /** Ends the watch (the client re-watches from its last resourceVersion). */
  end(): void {
    if (this.ended) return;
    this.response.end();
    this.finish();
  }

  onClose(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  private finish(): void {
    if (this.ended && this.closeListeners.length === 0) return;
    this.ended = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
