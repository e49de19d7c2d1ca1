import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, defaultHttpOptions, type HttpClientOptions } from '../../src/http/index.ts';
import { recordConnects, sleep, startServer, streamOf, TEST_USER_AGENT, type TestServer, failure } from './server.ts';

const MiB = 1024 * 1024;
const connects = recordConnects();
let server: TestServer;
const clients: HttpClient[] = [];
/** Bytes each streaming route actually produced before the client hung up. */
const produced = new Map<string, number>();

function client(partial: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient(
    defaultHttpOptions({ userAgent: TEST_USER_AGENT, allowedOrigins: [server.origin], hostMinGapMs: 0, respectRobots: false, retryBaseMs: 20, ...partial }),
  );
  clients.push(c);
  return c;
}

/** A pass-through that counts what the client pulled; backpressure reaches the source through it. */
function counted(path: string, source: Readable): Readable {
  produced.set(path, 0);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      produced.set(path, produced.get(path)! + chunk.length);
      cb(null, chunk);
    },
  });
  return source.pipe(counter);
}

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '/';
  switch (path) {
    case '/50mb-chunked':
      res.writeHead(200, { 'content-type': 'text/html' });
      counted(path, streamOf(50 * MiB, 0x61)).pipe(res);
      return;
    case '/50mb-length':
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * MiB) });
      counted(path, streamOf(50 * MiB, 0x61)).pipe(res);
      return;
    case '/gzip-bomb':
      // 1 GiB of zeros, compressed as the client reads: about 1 MB on the wire in total
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      counted(path, streamOf(1024 * MiB).pipe(zlib.createGzip({ level: 1 }))).pipe(res);
      return;
    case '/br-bomb':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
      counted(path, streamOf(1024 * MiB).pipe(zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }))).pipe(res);
      return;
    case '/hang':
      return; // accepts, reads the request, never answers
    case '/stall-body':
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write('<html>'); // and nothing more
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = await startServer(route);
});

// Every request in this file fails: each failure must have destroyed its socket.
afterEach(async () => {
  for (let i = 0; i < 100 && server.openConnections > 0; i++) await sleep(10);
  expect(server.openConnections).toBe(0);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  connects.restore();
  for (const target of connects.targets) expect(target).toMatch(/^127\.0\.0\.1:\d+$/);
});

/** Peak growth of this process's memory (heap + buffers) while `work` runs. */
async function peakMemoryGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  const usage = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = usage();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, usage());
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, usage());
    return { result, growthBytes: peak - base };
  } finally {
    clearInterval(sampler);
  }
}

describe('HttpClient: size caps', () => {
  it('stops a 50 MB chunked body at max_body, promptly', async () => {
    const t0 = performance.now();
    const err = await failure(client().fetch(server.url('/50mb-chunked')));
    const elapsed = performance.now() - t0;
    expect(err.code).toBe('body_too_large');
    expect(err.message).toBe(`GET ${server.url('/50mb-chunked')}: body exceeds 10485760 bytes (cap http.max_body)`);
    expect(elapsed).toBeLessThan(3_000);
    // the server was cut off long before it could send everything
    await sleep(50);
    expect(produced.get('/50mb-chunked')!).toBeLessThan(30 * MiB);
  });

  it('rejects a declared Content-Length over max_body before reading', async () => {
    const t0 = performance.now();
    const err = await failure(client().fetch(server.url('/50mb-length')));
    expect(err.code).toBe('body_too_large');
    expect(err.message).toContain('body of 52428800 bytes (Content-Length) exceeds 10485760 bytes');
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it.each(['/gzip-bomb', '/br-bomb'])('stops %s at max_decoded with bounded memory', async (path) => {
    const t0 = performance.now();
    const { result: err, growthBytes } = await peakMemoryGrowth(() => failure(client().fetch(server.url(path))));
    const elapsed = performance.now() - t0;
    expect(err.code).toBe('decoded_too_large');
    expect(err.message).toMatch(/decoded body exceeds 20971520 bytes after \d+ bytes of (gzip|br) \(cap http\.max_decoded\)/);
    expect(elapsed).toBeLessThan(3_000);
    // 1 GiB was on offer; the client took ~20 MiB of it and never held much more
    expect(produced.get(path)!).toBeLessThan(64 * MiB);
    expect(growthBytes).toBeLessThan(200 * MiB);
  });

  it('honours a smaller max_decoded', async () => {
    const err = await failure(client({ maxDecodedBytes: MiB }).fetch(server.url('/gzip-bomb')));
    expect(err.code).toBe('decoded_too_large');
    expect(err.message).toContain('exceeds 1048576 bytes');
  });
});

describe('HttpClient: timeouts', () => {
  it('fails a server that never answers with timeout after totalTimeoutMs', async () => {
    const t0 = performance.now();
    const err = await failure(client({ totalTimeoutMs: 300 }).fetch(server.url('/hang')));
    const elapsed = performance.now() - t0;
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('no complete response within 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('counts the body against the total timeout', async () => {
    const err = await failure(client({ totalTimeoutMs: 300 }).fetch(server.url('/stall-body')));
    expect(err.code).toBe('timeout');
  });
});
