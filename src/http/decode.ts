import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

// Truncated bodies are tolerated the way browsers tolerate them: flush what was decoded
// instead of failing the whole page on a missing gzip trailer.
const ZLIB_OPTS: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_OPTS: zlib.BrotliOptions = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

export type ContentCoding = 'gzip' | 'deflate' | 'br';

/**
 * The codings of a Content-Encoding header in the order they were applied; throws with the
 * offending name when one is not supported.
 */
export function parseContentEncoding(header: string | undefined): ContentCoding[] {
  if (!header) return [];
  const codings: ContentCoding[] = [];
  for (const raw of header.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (name === 'gzip' || name === 'x-gzip') codings.push('gzip');
    else if (name === 'deflate') codings.push('deflate');
    else if (name === 'br') codings.push('br');
    else throw new Error(`unsupported Content-Encoding '${name}'`);
  }
  return codings;
}

/**
 * "deflate" is zlib-wrapped by the standard but raw DEFLATE from some servers; the first two
 * bytes tell which (a zlib header is CM=8 with a check sum divisible by 31).
 */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      this.pending = Buffer.concat([this.pending, chunk]);
      if (this.pending.length < 2) return cb();
      this.start();
      chunk = this.pending;
      this.pending = Buffer.alloc(0);
    }
    this.inner!.write(chunk, (err) => cb(err ?? undefined));
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      if (this.pending.length === 0) return cb();
      this.start();
      this.inner!.write(this.pending);
    }
    this.inner!.once('end', () => cb());
    this.inner!.end();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.inner?.destroy();
    cb(err);
  }

  private start(): void {
    const b0 = this.pending[0]!;
    const b1 = this.pending[1] ?? 0;
    const zlibWrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
    const inner = zlibWrapped ? zlib.createInflate(ZLIB_OPTS) : zlib.createInflateRaw(ZLIB_OPTS);
    inner.on('data', (d: Buffer) => this.push(d));
    inner.on('error', (e) => this.destroy(e));
    this.inner = inner;
  }
}

function decoderFor(coding: ContentCoding): Transform {
  switch (coding) {
    case 'gzip':
      return zlib.createGunzip(ZLIB_OPTS);
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress(BROTLI_OPTS);
  }
}

/** Decoders in the order the bytes must pass through them (last applied coding first). */
export function decoderChain(codings: ContentCoding[]): Transform[] {
  return [...codings].reverse().map(decoderFor);
}
