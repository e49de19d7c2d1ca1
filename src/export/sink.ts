// Where an export goes: any Writable (a file, an HTTP response) or an async function taking
// chunks. Writes wait for the consumer (backpressure), so a slow reader slows the export
// instead of filling memory; the bytes are counted and hashed on the way for the
// datapackage.
import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';

export type ExportSink = Writable | ((chunk: Uint8Array) => void | Promise<void>);

/** Chunks are gathered to about this size before they are handed to the sink. */
const CHUNK_CHARS = 1 << 16;

export class ByteSink {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private failure: Error | null = null;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly sink: ExportSink) {
    if (typeof sink !== 'function') {
      sink.on('error', (e: Error) => {
        this.failure ??= e;
      });
    }
  }

  /** Text is buffered into larger chunks; call flush() (or write bytes) to push it out. */
  async text(s: string): Promise<void> {
    this.pending.push(s);
    this.pendingChars += s.length;
    if (this.pendingChars >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.length === 1 ? this.pending[0]! : this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    await this.push(chunk);
  }

  async bytesOut(chunk: Uint8Array): Promise<void> {
    await this.flush();
    await this.push(chunk);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  private async push(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytes += chunk.byteLength;
    this.hash.update(chunk);
    const sink = this.sink;
    if (typeof sink === 'function') {
      await sink(chunk);
      return;
    }
    if (sink.destroyed || sink.writableEnded) throw this.failure ?? new Error('the output was closed before the export finished');
    if (!sink.write(chunk)) await drained(sink);
    if (this.failure) throw this.failure;
  }
}

function drained(w: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const off = () => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
    };
    const onDrain = () => {
      off();
      resolve();
    };
    const onError = (e: Error) => {
      off();
      reject(e);
    };
    const onClose = () => {
      off();
      reject(new Error('the output was closed before the export finished'));
    };
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}
